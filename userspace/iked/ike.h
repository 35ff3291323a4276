/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iked's state: IKE SAs, their CHILD SAs, and the exchanges that make and
 * end them. One event loop (main.c) feeds it packets, kernel events, control
 * commands and timer ticks; everything runs in that one thread.
 */
#ifndef IKED_IKE_H
#define IKED_IKE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/socket.h>

#include "config.h"
#include "net.h"
#include "crypto.h"
#include "frag.h"
#include "payload.h"
#include "proposal.h"

/* The most CAs of a peer's CERTREQs kept; the rest are not looked at. */
#define IKE_MAX_PEER_CAS	16

enum ike_state {
	IKE_S_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKE_S_INIT_DONE,	/* responder: IKE_SA_INIT answered */
	IKE_S_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKE_S_ESTABLISHED,
	IKE_S_DELETING,		/* our DELETE is out */
	IKE_S_DEAD,		/* to be freed */
};

enum child_state {
	CHILD_S_INSTALLED,
	CHILD_S_REKEYING,	/* our CREATE_CHILD_SA for it is out */
	CHILD_S_REKEYED,	/* a newer one replaced it; deleting */
	CHILD_S_DELETING,	/* our DELETE for it is out */
};

/* What our outstanding request is about, for its response. */
enum ike_request {
	REQ_NONE,
	REQ_INIT,
	REQ_AUTH,
	REQ_CHILD_REKEY,
	REQ_CHILD_CREATE,	/* a new CHILD SA on an IKE SA that is up */
	REQ_IKE_REKEY,
	REQ_DELETE_CHILD,
	REQ_DELETE_IKE,
	REQ_DPD,
};

struct child_sa {
	struct child_sa *next;
	enum child_state state;
	uint32_t reqid;
	uint32_t spi_in, spi_out;	/* host order; spi_in is ours */
	struct ike_suite suite;
	bool tunnel, encap;
	uint32_t if_id;		/* bound to the nfesp device of this id (0: policies) */
	struct ike_ts ts_local[IKE_MAX_TS], ts_remote[IKE_MAX_TS];
	unsigned int n_ts_local, n_ts_remote;
	time_t created;
	/* Responder of a rekey: the outbound SA waits for the old one's
	 * DELETE (or a few seconds), so that the initiator has the inbound
	 * one before packets arrive on it.
	 */
	bool out_pending;
	time_t out_install_at;
	uint8_t *keymat;	/* kept until the outbound SA is installed */
	size_t keymat_len;
	bool rekey_due, delete_due;	/* waiting for our request window */
	time_t rekey_after;		/* a refused rekey waits a while */
	/* A rekey collision (RFC 7296 2.8.1): the peer rekeyed this SA while
	 * our rekey of it was in flight; its new SA and its lower nonce.
	 */
	uint32_t peer_rekey_spi;
	uint8_t peer_rekey_nonce[IKE_NONCE_MAX];
	size_t peer_rekey_nonce_len;
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_conn *conn;
	enum ike_state state;
	bool initiator;		/* original initiator: the I flag, SK_ei etc. */
	uint8_t spi_i[IKE_SPI_LEN], spi_r[IKE_SPI_LEN];
	struct sockaddr_storage local, remote;	/* with the ports in use */
	bool nat_local, nat_remote;	/* NAT detected in front of us / them */
	struct ike_suite suite;
	struct ike_proposal ike_chosen;	/* responder: for conn_by_ids */
	struct ike_keys keys;
	struct ike_dh *dh;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	struct ike_buf init_req, init_resp;	/* IKE_SA_INIT, for AUTH */
	struct ike_buf cookie;
	uint8_t peer_id_type;
	uint8_t peer_id[IKE_MAX_ID];
	size_t peer_id_len;
	/* SIGNATURE_HASH_ALGORITHMS of IKE_SA_INIT (IKE_HASH_BIT set) */
	unsigned int peer_hashes;
	/* its certificate, if it showed one: subject, issuer, end of validity */
	char peer_cert[256], peer_cert_issuer[256];
	time_t peer_cert_until;
	/* the CAs its CERTREQ asked for (key hashes), and the subject of the
	 * certificate of ours that we showed it
	 */
	uint8_t peer_cas[IKE_MAX_PEER_CAS * CERTS_HASH_LEN];
	unsigned int n_peer_cas;
	char own_cert[256];
	/* remote access: the client's virtual addresses, from conn's pools */
	bool has_vip4, has_vip6;
	uint8_t vip4[4], vip6[16];

	/* Message IDs: ours (requests we send), theirs (requests we take). */
	uint32_t next_out_id, next_in_id;
	enum ike_request pending;
	struct ike_buf request;		/* in flight, for retransmission */
	unsigned int retries;
	time_t retry_at;
	struct ike_buf response;	/* the last one we sent, for duplicates */
	struct ike_buf last_request;	/* what it answered, byte for byte */

	/* Our CREATE_CHILD_SA in flight: its nonce and DH. */
	uint8_t xnonce[IKE_NONCE_MAX];
	size_t xnonce_len;
	struct ike_dh *xdh;
	/* A CHILD SA being negotiated by our request (AUTH, rekey). */
	struct child_sa *new_child;
	struct child_sa *rekeying;	/* its predecessor */
	struct ike_sa *new_ike;		/* IKE rekey in progress */
	/* The peer's rekey of this IKE SA crossed ours (RFC 7296 2.8.2): its
	 * new SA waits, without CHILD SAs, until ours is answered.
	 */
	struct ike_sa *peer_new_ike;
	bool rekeyed;			/* replaced by a newer IKE SA */
	bool delete_due;		/* waiting for our request window */

	struct child_sa *children;
	time_t created, last_heard;
	time_t rekey_at;
	time_t keepalive_at;		/* behind a NAT */
	uint64_t bytes_in, bytes_out;	/* IKE messages */
	bool acquire_ts_valid;		/* the ACQUIRE's flow goes first */
	struct ike_ts acquire_tsi, acquire_tsr;
	unsigned int invalid_ke_retries, cookie_retries;
	time_t child_create_after;	/* a refused new CHILD SA waits */
	bool half_open;			/* counted in iked.half_open */
	bool peer_fragments;		/* IKEV2_FRAGMENTATION_SUPPORTED */
	/* RFC 8784: both offered USE_PPK; the keys have the PPK in them;
	 * until IKE_AUTH is over, the keys without it.
	 */
	bool ppk_offered, ppk_used;
	struct {
		uint8_t sk_d[IKE_MAX_KEY_LEN], sk_pi[IKE_MAX_KEY_LEN], sk_pr[IKE_MAX_KEY_LEN];
	} no_ppk;
	struct ike_frags frags;		/* a message of the peer's in pieces */
};

/* An SPI as a number, for people (it may sit anywhere in memory). */
static inline unsigned long long ike_spi64(const uint8_t *spi)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < IKE_SPI_LEN; i++)
		v = v << 8 | spi[i];
	return v;
}

/* On port 4500, where IKE carries the non-ESP marker (NAT traversal). */
static inline bool ike_sa_natt(const struct ike_sa *sa)
{
	return sockaddr_port(&sa->local) == IKE_NATT_PORT;
}

/* Logging: one line each, prefixed by the connection's name; to stderr
 * (systemd's journal), or to syslog once iked is a daemon (ike_syslog).
 */
void ike_log(const struct ike_sa *sa, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning: a peer or a message refused. Of the source @from (NULL: the
 * peer of @sa); at most 5 of a source and 100 in all each 10 s, the rest
 * counted and said when the next 10 s begin.
 */
void ike_warn(const struct ike_sa *sa, const struct sockaddr_storage *from,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
extern int ike_verbose;
extern bool ike_syslog;
extern FILE *ike_log_file;	/* instead of stderr, when set (tests) */
#define ike_debug(sa, ...) do { if (ike_verbose) ike_log(sa, __VA_ARGS__); } while (0)

/* The daemon's state, owned by main.c. */
struct iked {
	struct ike_config conf;
	const char *conf_path;
	struct ike_sa *sas;
	uint32_t next_reqid;		/* the last one given to a connection */
	unsigned int half_open;		/* responder SAs past IKE_SA_INIT only */
	uint8_t cookie_secret[32], cookie_secret_prev[32];
	time_t cookie_secret_at;
};

extern struct iked iked;

/* ike_sa.c: the table of IKE SAs, sending and retransmission */
struct ike_sa *ike_sa_new(struct ike_conn *conn, bool initiator);
void ike_sa_free(struct ike_sa *sa);
struct ike_sa *ike_sa_by_spi(const uint8_t spi[IKE_SPI_LEN], bool we_initiated);
struct ike_sa *ike_sa_by_init(const uint8_t spi_i[IKE_SPI_LEN],
			      const struct sockaddr_storage *remote);
void ike_sa_remove_dead(void);
/* Sends a request (kept for retransmission) or a response (kept for duplicates). */
void ike_sa_send_request(struct ike_sa *sa, struct ike_buf *msg,
			 enum ike_request what);
void ike_sa_send_response(struct ike_sa *sa, struct ike_buf *msg);
/* A request came again (our response was lost): the same response. */
void ike_sa_resend_response(struct ike_sa *sa);
/* Seals the inner chain @w (freed) as our next request and sends it. */
bool ike_sa_request(struct ike_sa *sa, uint8_t exchange, struct ike_writer *w,
		    enum ike_request what);
/* Builds an encrypted message around the inner chain @inner. */
bool ike_sa_seal(struct ike_sa *sa, uint8_t exchange, bool response,
		 uint32_t msg_id, struct ike_writer *inner, struct ike_buf *out);
void ike_sa_tick(struct ike_sa *sa, time_t now);
const uint8_t *ike_sa_our_spi(const struct ike_sa *sa);
void ike_sa_header(const struct ike_sa *sa, struct ike_header *hdr,
		   uint8_t exchange, bool response, uint32_t msg_id);
/* Up now (IKE_AUTH done, or a rekey's new SA): its rekey time set. */
void ike_sa_established(struct ike_sa *sa);
/* An authentic message of the peer came from @remote to @local: IKE
 * follows a new port (and the UDP-encapsulated CHILD SAs with it).
 */
void ike_sa_peer_at(struct ike_sa *sa, const struct sockaddr_storage *local,
		    const struct sockaddr_storage *remote);
/* Ends an IKE SA: deletes its CHILD SAs from the kernel; no message. */
void ike_sa_down(struct ike_sa *sa, const char *why);

/* cookie.c: the responder's defences against IKE_SA_INIT floods */
#define IKE_COOKIE_LEN	32
/* An initiator sends a cookie back this often, then gives up. */
#define IKE_COOKIE_RETRIES	3
/* Counts @sa as half-open, or no longer; each SA once. */
void ike_sa_half_open(struct ike_sa *sa, bool on);
/* Whether another half-open SA may be made (a warning when not). */
bool ike_half_open_room(const struct sockaddr_storage *remote);
/* Past the threshold, a request must bring back our cookie; false if it
 * did not (and it was answered with one).
 */
bool ike_cookie_ok(const struct ike_header *hdr, const struct ike_payload *pl,
		   unsigned int n, const uint8_t *ni, size_t ni_len,
		   const struct sockaddr_storage *local,
		   const struct sockaddr_storage *remote);

/* nat.c: NAT detection (RFC 7296 2.23) */
/* NAT-D notifies of @sa's addresses, hashed with @spi_r (zeros in a request). */
void ike_put_nat_detection(struct ike_writer *w, const struct ike_sa *sa,
			   const uint8_t *spi_r);
/* Reads the peer's NAT-D notifies into @sa's NAT flags; true if it sent any. */
bool ike_check_nat(struct ike_sa *sa, const struct ike_payload *pl,
		   unsigned int n, const uint8_t *spi_r);

/* exchange_init.c: IKE_SA_INIT */
/* An unencrypted notify answering the IKE_SA_INIT request @req. */
void ike_send_init_error(const struct ike_header *req,
			 const struct sockaddr_storage *local,
			 const struct sockaddr_storage *remote,
			 uint16_t type, const void *data, size_t len);
int ike_initiate(struct ike_conn *conn, const struct ike_ts *tsi,
		 const struct ike_ts *tsr);
void ike_recv_init_request(const struct ike_header *hdr, const uint8_t *msg,
			   size_t len, const struct sockaddr_storage *local,
			   const struct sockaddr_storage *remote);
void ike_recv_init_response(struct ike_sa *sa, const struct ike_header *hdr,
			    const uint8_t *msg, size_t len);

/* exchange_auth.c: IKE_AUTH */
/* The initiator's, once IKE_SA_INIT is done; -1 if it cannot be built. */
int ike_send_auth_request(struct ike_sa *sa);
void ike_recv_auth_request(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_payload *pl, unsigned int n);
void ike_recv_auth_response(struct ike_sa *sa, const struct ike_payload *pl,
			    unsigned int n);

/* conn.c: the connections at run time */
/* Starts the connections that are not running yet (no reqid); how many. */
unsigned int conn_start_all(void);
/* Ends @conn's SAs (peers told, best effort) and its policies; NULL:
 * every connection's.
 */
void conn_stop(const struct ike_conn *conn);
/* Reads the configuration file again (the messages to @f): what did not
 * change keeps its SAs, what changed or went is stopped, what came or
 * changed is started. False, and nothing changed, if it has errors.
 */
bool conn_reload(FILE *f);
/* nfesp's ACQUIRE (a CHILD SA for the flow, on the connection's IKE SA
 * when it has one) or EXPIRE (a rekey, or the end of the CHILD SA).
 */
struct kernel_event;
void conn_kernel_event(const struct kernel_event *ev);
/* conn_log.c: @c's latest log lines; conn_log_since writes those after
 * @seq (as "| LINE") to @f and returns the number of the next.
 */
void conn_log_keep(struct ike_conn *c, const char *line);
unsigned long conn_log_since(const struct ike_conn *c, unsigned long seq, FILE *f);
/* The number the next line of @c will have. */
unsigned long conn_log_seq(const struct ike_conn *c);
void conn_log_free(struct ike_conn *c);
/* conn_show.c: @c as configured, defaults filled in (ipsecctl ike list-conns),
 * and the words and addresses it and its JSON (ctl_json.c) say.
 */
void conn_show(FILE *f, const struct ike_conn *c);
const char *conn_start_word(enum ike_start s);
const char *conn_auth_word(enum ike_auth_kind k);
/* @ss with @prefix bits ("%any" for 0, no "/N" for a whole address). */
void conn_addr_format(const struct sockaddr_storage *ss, unsigned int prefix, char *buf,
		      size_t len);

/* ts.c: traffic selectors */
int ts_family(const struct ike_ts *ts);
uint8_t ts_range_prefix(const struct ike_ts *ts, uint8_t *addr);
/* Our selectors, from the configuration. */
void child_our_ts(const struct ike_conn *conn, struct ike_ts *local,
		  unsigned int *nl, struct ike_ts *remote, unsigned int *nr);
/* The responder's narrowing; false with a log line if nothing fits. */
bool child_narrow(struct ike_sa *sa, const struct ike_ts *tsi, unsigned int ni,
		  const struct ike_ts *tsr, unsigned int nr, struct child_sa *c);
/* The initiator's check: the responder narrows, it never widens. */
bool child_ts_within_ours(struct ike_sa *sa, const struct ike_ts *tsi,
			  unsigned int ni, const struct ike_ts *tsr,
			  unsigned int nr);
/* Selectors for people: "10.1.0.0/16, 10.3.0.1/32[tcp/443]" */
void ike_ts_format(const struct ike_ts *ts, unsigned int n, char *buf,
		   size_t len);

/* child.c: CHILD SAs in nfesp */
void child_free(struct child_sa *c);
size_t child_keymat_len(const struct ike_suite *s);
/* The reqid of a new CHILD SA of @sa (not a rekey, which keeps its
 * predecessor's): the connection's, unless a CHILD SA holds it, then one
 * of its own, so that each CHILD SA's policies lead to its SAs alone.
 */
uint32_t child_new_reqid(const struct ike_sa *sa);
/* Installs SAs and policies of @c from the keying material. */
bool child_install(struct ike_sa *sa, struct child_sa *c, const uint8_t *keymat,
		   bool we_initiated, bool outbound_now);
void child_install_outbound(struct ike_sa *sa, struct child_sa *c);
/* The peer's port changed: the UDP-encapsulated SAs follow it. */
void child_follow_peer(struct ike_sa *sa);
void child_uninstall(struct ike_sa *sa, struct child_sa *c);
/* policies.c: the policies of CHILD SAs and of traps */
/* Adds (or updates) the policies of @c's selectors, or deletes those that
 * no other CHILD SA of the connection that is up, and not its trap, has.
 */
void child_policies(const struct ike_sa *sa, const struct child_sa *c, bool add);
/* Adds or deletes the trap policies of @conn (its configured selectors). */
void child_trap_policies(const struct ike_conn *conn, bool add);
struct child_sa *child_by_spi(struct ike_sa *sa, uint32_t spi, bool inbound);

/* exchange_child.c: CREATE_CHILD_SA */
int child_rekey(struct ike_sa *sa, struct child_sa *c);
/* A new CHILD SA on @sa (not a rekey), for the flow @tsi -> @tsr ahead of
 * the configured selectors (NULL: these alone); -1 if a request of @sa is
 * in flight.
 */
int child_create(struct ike_sa *sa, const struct ike_ts *tsi,
		 const struct ike_ts *tsr);
/* The same with these selectors alone. */
int child_create_ts(struct ike_sa *sa, const struct ike_ts *tsl, unsigned int nl,
		    const struct ike_ts *tsr, unsigned int nr);
int ike_rekey(struct ike_sa *sa);
/* The peer deletes @old while both rekeyed it: the peer's new SA takes over. */
void ike_rekey_collision_lost(struct ike_sa *old);
void ike_recv_create_child(struct ike_sa *sa, const struct ike_header *hdr,
			   const struct ike_payload *pl, unsigned int n);
void ike_recv_create_child_response(struct ike_sa *sa,
				    const struct ike_payload *pl,
				    unsigned int n);

/* exchange_info.c: INFORMATIONAL */
void ike_send_delete_ike(struct ike_sa *sa);
void ike_send_delete_child(struct ike_sa *sa, struct child_sa *c);
void ike_send_dpd(struct ike_sa *sa);
void ike_recv_informational(struct ike_sa *sa, const struct ike_header *hdr,
			    const struct ike_payload *pl, unsigned int n);
void ike_recv_informational_response(struct ike_sa *sa,
				     const struct ike_payload *pl,
				     unsigned int n);

/* dispatch.c: reads what socket @fd holds and hands each message on. */
void ike_dispatch(int fd);
/* One datagram of IKE (without the non-ESP marker) from @remote to @local. */
void ike_receive(const uint8_t *msg, size_t len,
		 const struct sockaddr_storage *local,
		 const struct sockaddr_storage *remote);

/* notify.c: notifies of a message: the first of @type; the first error
 * (0: none); their names; a refused proposal logged.
 */
bool ike_has_notify(const struct ike_payload *pl, unsigned int n,
		    uint16_t type, struct ike_notify *out);
uint16_t ike_error_notify(const struct ike_payload *pl, unsigned int n,
			  struct ike_notify *out);
const char *ike_notify_name(uint16_t type);
/* "NO_PROPOSAL_CHOSEN for @what: the peer proposed ...; we accept ..." */
void ike_log_no_proposal(const struct ike_sa *sa, const char *what,
			 const struct ike_proposal *mine, unsigned int nmine,
			 const struct ike_proposal *theirs, unsigned int ntheirs);
/* Our ESP proposals with @spi in each, without DH unless @with_dh. */
unsigned int ike_child_proposals(const struct ike_conn *conn, uint32_t spi,
				 struct ike_proposal *props, bool with_dh);


#endif
