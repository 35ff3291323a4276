/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iked's exchanges in one process, for the unit tests and the exchange
 * fuzzer: what iked sends is queued rather than sent (net_send is wrapped
 * at link time), and nfesp is a stub that records the SAs and policies it
 * is given. Two connections that mirror each other make two peers of one
 * iked: a message goes back in with its addresses swapped.
 */
#ifndef IKED_TEST_HARNESS_H
#define IKED_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "../../iked/cp.h"
#include "../../iked/ike.h"
#include "../../iked/kernel.h"

#define HARNESS_MAX_SENT	256
#define STUB_MAX_SAS		256
#define STUB_MAX_POLICIES	256

struct sent_msg {
	struct sockaddr_storage from, to;
	uint8_t *data;
	size_t len;
};

/* Messages sent and not yet taken, oldest first. */
extern struct sent_msg harness_sent[HARNESS_MAX_SENT];
extern unsigned int harness_nsent;

/* Two connections that mirror each other in transport mode, the peers of
 * one iked: "a" at 192.0.2.1, "b" at 192.0.2.2 (at_a, at_b once
 * harness_load has run); b also offers ecp256 for IKE.
 */
extern const char harness_pair[];
extern struct sockaddr_storage at_a, at_b;
/* a initiates, and everything that follows is delivered. */
void harness_a_starts(void);
/* The established IKE SA of connection @name, or NULL. */
struct ike_sa *harness_up(const char *name);
/* Nothing alive of a's or b's (the dead removed), no SA in either kernel. */
bool harness_nothing_left(void);
/* Whether iked's answer to the control command @cmd (ipsecctl ike's) has
 * @text; what it said is printed as a TAP comment when not.
 */
bool harness_ctl_says(const char *cmd, const char *text);

/* The established IKE SAs of a and b that are each other's peer, every
 * CHILD SA's SPIs in both kernels: how many such pairs.
 */
unsigned int harness_working_pairs(void);

/*
 * harness_reset, then a and b of harness_pair's addresses in transport
 * mode (aes128gcm16-prfsha256-x25519, aes128gcm16), each section ended by
 * its @extra keys (a key given twice is an error: @extra adds).
 */
void harness_load_pair(const char *a_extra, const char *b_extra);

/* Loads @text as iked.conf and starts its connections (conn_start_all);
 * exits on an error (a test's own mistake). iked's log goes to /dev/null
 * unless HARNESS_LOG is set.
 */
void harness_load(const char *text);
/* The end of a test: every SA and the configuration freed. */
void harness_end(void);
/* Ends every IKE SA, forgets what was sent, empties the stub kernel. */
void harness_reset(void);
/* Takes the oldest message sent (into @m, to free with sent_free). */
bool harness_take(struct sent_msg *m);
void sent_free(struct sent_msg *m);
/* Hands every queued message to iked, addresses swapped, and what those
 * cause, until nothing is queued or @max messages went; how many went.
 */
unsigned int harness_deliver(unsigned int max);
/* From now on harness_take picks a message at random (seeded; 0: the
 * oldest again), as a network may reorder them.
 */
void harness_shuffle(unsigned int seed);
/* Each IKE SA's tick at @now. */
void harness_tick(time_t now);
/* A sockaddr of @addr (IPv4 or IPv6 text) and @port. */
struct sockaddr_storage harness_addr(const char *addr, uint16_t port);
/* The live IKE SAs of @conn (any state but dead) and those established. */
unsigned int harness_ike_sas(const struct ike_conn *conn, bool established);

/* Opens @m, sealed by the peer of @sa, into @pl (its payloads in @plain);
 * how many payloads, 0 if it does not open or parse (or @sa is NULL).
 */
unsigned int harness_open(const struct ike_sa *sa, const struct sent_msg *m,
			  uint8_t *plain, size_t cap, struct ike_payload *pl);

/* The live IKE SA of message @m (its SPIs) at the end @addr, or NULL. */
struct ike_sa *harness_sa_at(const struct sockaddr_storage *addr, const struct sent_msg *m);
/*
 * In place of @real: a message like it (exchange, role, message ID) with
 * @chain (first payload @first) sealed by its sender's IKE SA, handed to
 * its receiver.
 */
void harness_send_sealed(const struct sent_msg *real, uint8_t first, const uint8_t *chain,
			 size_t len);

/*
 * In place of @real: fragment @num of @total (RFC 7383), @chunk sealed by
 * the sender's IKE SA in an SKF payload (the first names @first), its ICV
 * broken if @break_icv, handed to its receiver. false: it could not be made.
 */
bool harness_send_fragment(const struct sent_msg *real, uint8_t first, unsigned int num,
			   unsigned int total, const uint8_t *chunk, size_t len,
			   bool break_icv);

/*
 * What loading @text as iked.conf says: its errors and warnings, each
 * line's newline a '|' (a static buffer), or "".
 */
const char *harness_conf_says(const char *text);

/* @pl's payloads written again into @w, a new chain (to add to). */
void harness_chain_of(struct ike_writer *w, const struct ike_payload *pl, unsigned int n);
/* A road warrior's CFG_REQUEST: IPv4 and IPv6 addresses and DNS servers. */
#define HARNESS_CP_REQUEST_N	4
extern const struct ike_cp_attr harness_cp_request[HARNESS_CP_REQUEST_N];

/* The stub kernel's table. Both peers' kernels are in it, told apart by
 * the local address of the peer whose call it was: for an SA, stub_side,
 * which the harness sets before it hands iked a message or a tick; for a
 * policy, the local end of its template.
 */
struct stub_sa {
	struct sockaddr_storage side;
	int family;
	uint8_t src[16], dst[16];
	uint32_t spi;
	uint32_t reqid;
	bool tunnel;
	uint8_t dir;		/* NFESP_DIR_IN or _OUT; 0: either */
	uint32_t if_id;		/* a tunnel device's; 0: none */
};

extern struct stub_sa stub_sas[STUB_MAX_SAS];
extern unsigned int stub_nsas;
struct stub_policy {
	struct sockaddr_storage side;
	struct nfesp_policy p;
};

extern struct stub_policy stub_policies[STUB_MAX_POLICIES];
extern unsigned int stub_npolicies;
extern struct sockaddr_storage stub_side;
void stub_kernel_reset(void);
/* The SA of @spi in the kernel of @side (any destination), or NULL. */
const struct stub_sa *stub_sa_by_spi(const struct sockaddr_storage *side,
				     uint32_t spi);
/* The policies in the kernel of @side. */
unsigned int stub_policies_of(const struct sockaddr_storage *side);

#endif
