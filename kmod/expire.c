// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetimes of SAs. While any SA of a namespace has a time limit, a work
 * item looks at them once a second; the packet path runs it at once when a
 * byte or packet limit is reached or the sequence numbers run out. Past a
 * soft limit it tells userspace (EXPIRE) once, so that a new SA is
 * negotiated; past a hard limit it tells userspace and deletes the SA.
 */
#include <net/genetlink.h>

#include "nfesp.h"

static bool nfesp_sa_timed(struct nfesp_net *nn, const struct nfesp_sa *sa)
{
	const struct nfesp_lifetime *lt = &nfesp_sa_conf(sa, nn)->limits;

	return lt->soft_add_secs || lt->hard_add_secs ||
	       lt->soft_use_secs || lt->hard_use_secs;
}

static void nfesp_expire_notify(struct nfesp_net *nn, const struct nfesp_sa *sa,
				bool hard)
{
	struct sk_buff *skb = nfesp_sa_msg(sa, NFESP_CMD_EXPIRE,
					   hard ? NFESP_A_HARD : 0, 0, 0, false);

	if (skb)
		nfesp_genl_notify(nn->net, skb);
}

static bool nfesp_past(time64_t since, u64 limit, time64_t now)
{
	return limit && since && now - since >= limit;
}

/* Use time counts from the first packet, which the packet path records. */
static bool nfesp_sa_hard_due(struct nfesp_net *nn, const struct nfesp_sa *sa,
			      time64_t now)
{
	const struct nfesp_lifetime *lt = &nfesp_sa_conf(sa, nn)->limits;

	return test_bit(NFESP_SA_HARD_DUE, &sa->due) ||
	       nfesp_past(sa->add_time, lt->hard_add_secs, now) ||
	       nfesp_past(READ_ONCE(sa->first_use), lt->hard_use_secs, now);
}

static bool nfesp_sa_soft_due(struct nfesp_net *nn, const struct nfesp_sa *sa,
			      time64_t now)
{
	const struct nfesp_lifetime *lt = &nfesp_sa_conf(sa, nn)->limits;

	return test_bit(NFESP_SA_SOFT_DUE, &sa->due) ||
	       nfesp_past(sa->add_time, lt->soft_add_secs, now) ||
	       nfesp_past(READ_ONCE(sa->first_use), lt->soft_use_secs, now);
}

static void nfesp_expire_kick(struct nfesp_net *nn)
{
	mod_delayed_work(system_wq, &nn->expire_work, 0);
}

bool nfesp_sa_stopped(struct nfesp_sa *sa)
{
	return test_bit(NFESP_SA_HARD_DUE, &sa->due);
}

/* @sa carries no more traffic; the expire work says so and deletes it. */
void nfesp_sa_stop(struct nfesp_net *nn, struct nfesp_sa *sa)
{
	if (!test_and_set_bit(NFESP_SA_HARD_DUE, &sa->due))
		nfesp_expire_kick(nn);
}

static bool nfesp_over(u64 limit, u64 used)
{
	return limit && used >= limit;
}

/* Whether @lt limits bytes or packets, which the packet path must count. */
bool nfesp_limits_counted(const struct nfesp_lifetime *lt)
{
	return lt->soft_bytes || lt->hard_bytes || lt->soft_packets ||
	       lt->hard_packets;
}

/*
 * Charges a packet of @bytes to @sa's byte and packet lifetimes; the one
 * that reaches a limit tells the expire work, which sends the EXPIRE. An
 * SA without such limits is not charged: its per-CPU counters say what it
 * carried (the current lifetime of a dump), and they are where counting
 * starts from if SA_UPDATE adds limits (nfesp_sa_count_from_stats()).
 */
void nfesp_sa_used(struct nfesp_net *nn, struct nfesp_sa *sa,
		   unsigned int bytes)
{
	const struct nfesp_lifetime *lt = &nfesp_sa_conf(sa, nn)->limits;
	u64 packets, total;

	if (unlikely(!READ_ONCE(sa->first_use)))
		WRITE_ONCE(sa->first_use, ktime_get_seconds());
	if (!nfesp_limits_counted(lt))
		return;
	packets = atomic64_inc_return(&sa->life_packets);
	total = atomic64_add_return(bytes, &sa->life_bytes);
	if (nfesp_over(lt->hard_packets, packets) ||
	    nfesp_over(lt->hard_bytes, total)) {
		nfesp_sa_stop(nn, sa);
	} else if (nfesp_over(lt->soft_packets, packets) ||
		   nfesp_over(lt->soft_bytes, total)) {
		if (!test_and_set_bit(NFESP_SA_SOFT_DUE, &sa->due))
			nfesp_expire_kick(nn);
	}
}

/*
 * @sa is about to get byte or packet limits it did not have: what it
 * carried so far counts. Before the new limits are published, so that
 * the packets they count add to this. A packet that read the old
 * configuration and had not been counted yet is not charged (at most
 * the packets in flight at that moment).
 */
void nfesp_sa_count_from_stats(struct nfesp_sa *sa)
{
	u64 sum[__NFESP_STAT_MAX];

	nfesp_stats_sum(sa->stats, sum);
	atomic64_set(&sa->life_packets, sum[NFESP_STAT_IN_PACKETS] +
		     sum[NFESP_STAT_IN_DUMMY] + sum[NFESP_STAT_OUT_PACKETS]);
	atomic64_set(&sa->life_bytes, sum[NFESP_STAT_IN_BYTES] +
		     sum[NFESP_STAT_OUT_BYTES]);
}

static void nfesp_expire_work(struct work_struct *work)
{
	struct nfesp_net *nn = container_of(to_delayed_work(work),
					    struct nfesp_net, expire_work);
	time64_t now = ktime_get_seconds();
	bool again = false;
	struct nfesp_sa *sa;
	unsigned long index;

	mutex_lock(&nn->lock);
	xa_for_each(&nn->sa_index, index, sa) {
		if (nfesp_sa_hard_due(nn, sa, now)) {
			nfesp_expire_notify(nn, sa, true);
			nfesp_sa_unlink(nn, sa);
			continue;
		}
		if (!sa->soft_expired && nfesp_sa_soft_due(nn, sa, now)) {
			sa->soft_expired = true;
			nfesp_expire_notify(nn, sa, false);
		}
		if (nfesp_sa_timed(nn, sa))
			again = true;
	}
	if (again)
		schedule_delayed_work(&nn->expire_work, HZ);
	mutex_unlock(&nn->lock);
}

void nfesp_expire_init(struct nfesp_net *nn)
{
	INIT_DELAYED_WORK(&nn->expire_work, nfesp_expire_work);
}

/* Before the SAs go: the work takes nfesp_net.lock, which is not held here. */
void nfesp_expire_exit(struct nfesp_net *nn)
{
	cancel_delayed_work_sync(&nn->expire_work);
}

/* @sa was added or changed: make sure its time limits are watched. */
void nfesp_expire_arm(struct nfesp_net *nn, const struct nfesp_sa *sa)
{
	lockdep_assert_held(&nn->lock);
	if (nfesp_sa_timed(nn, sa))
		schedule_delayed_work(&nn->expire_work, HZ);
}
