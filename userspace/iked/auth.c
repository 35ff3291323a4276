// SPDX-License-Identifier: GPL-2.0
/* Our AUTH and the peer's: pre-shared keys and certificates (RFC 7296 2.15). */
#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>

#include "auth.h"
#include "certs.h"
#include "config.h"
#include "crypto.h"
#include "sig.h"

/* The most CERT payloads taken from a peer: its certificate and a chain. */
#define CERT_MAX		8

/* The ID payload body (type, reserved, data): what AUTH covers. */
static size_t id_body(const struct ike_id *id, uint8_t *out)
{
	out[0] = id->type;
	out[1] = out[2] = out[3] = 0;
	memcpy(out + 4, id->data, id->len);
	return id->len + 4;
}

/* The first message, nonce and SK_p of the initiator's AUTH (@initiator) or
 * the responder's.
 */
struct auth_inputs {
	const struct ike_buf *msg;
	const uint8_t *nonce, *sk_p;
	size_t nonce_len;
};

static struct auth_inputs inputs_of(const struct ike_sa *sa, bool initiator)
{
	struct auth_inputs in = {
		.msg = initiator ? &sa->init_req : &sa->init_resp,
		.nonce = initiator ? sa->nr : sa->ni,
		.nonce_len = initiator ? sa->nr_len : sa->ni_len,
		.sk_p = initiator ? sa->keys.sk_pi : sa->keys.sk_pr,
	};
	return in;
}

static bool psk_value(const struct ike_sa *sa, bool initiator, const uint8_t *body,
		      size_t body_len, uint8_t *out)
{
	struct auth_inputs in = inputs_of(sa, initiator);

	return ike_psk_auth(sa->suite.prf, sa->conn->psk, sa->conn->psk_len,
			    in.msg->data, in.msg->len, in.nonce, in.nonce_len, in.sk_p,
			    sa->keys.p_len, body, body_len, out);
}

/* What a signature covers: the first message | the nonce | prf(SK_p, ID). */
static bool signed_octets(const struct ike_sa *sa, bool initiator,
			  const uint8_t *body, size_t body_len, struct ike_buf *out)
{
	struct auth_inputs in = inputs_of(sa, initiator);
	uint8_t maced[IKE_MAX_PRF_LEN];
	bool ok;

	memset(out, 0, sizeof(*out));
	ok = ike_prf(sa->suite.prf, in.sk_p, sa->keys.p_len, body, body_len, maced);
	ike_buf_put(out, in.msg->data, in.msg->len);
	ike_buf_put(out, in.nonce, in.nonce_len);
	ike_buf_put(out, maced, ike_prf_len(sa->suite.prf));
	ike_wipe(maced, sizeof(maced));
	if (ok && !out->failed)
		return true;
	ike_buf_free(out);
	return false;
}

static void put_cert(struct ike_writer *w, X509 *cert)
{
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	size_t off;

	if (len <= 0) {
		w->buf.failed = true;
		return;
	}
	off = ike_writer_begin(w, IKE_PL_CERT, false);
	ike_buf_u8(&w->buf, IKE_CERT_X509_SIGNATURE);
	ike_buf_put(&w->buf, der, (size_t)len);
	ike_writer_end(w, off);
	OPENSSL_free(der);
}

/* Our AUTH with the keys as they are, signed with @own's key (pubkey):
 * its method and value in @value.
 */
static bool auth_make(struct ike_sa *sa, const struct ike_own_cert *own, uint8_t *method,
		      struct ike_buf *value)
{
	const struct ike_conn *conn = sa->conn;
	bool pss = conn->creds && conn->creds->rsa_pss;
	uint8_t body[IKE_MAX_ID + 4], psk[IKE_MAX_PRF_LEN];
	struct ike_buf octets;
	size_t blen = id_body(&conn->local_id, body);
	char err[256];
	int failed;

	memset(value, 0, sizeof(*value));
	if (conn->auth == IKE_AUTH_BY_PSK) {
		if (!psk_value(sa, sa->initiator, body, blen, psk))
			return false;
		*method = IKE_AUTH_PSK;
		ike_buf_put(value, psk, ike_prf_len(sa->suite.prf));
		ike_wipe(psk, sizeof(psk));
		return !value->failed;
	}
	if (!signed_octets(sa, sa->initiator, body, blen, &octets))
		return false;
	*method = sig_method(own->key, sa->peer_hashes);
	if (*method == IKE_AUTH_DIGITAL_SIGNATURE)
		failed = sig_sign(own->key, pss, sa->peer_hashes, octets.data, octets.len,
				  value, err, sizeof(err));
	else
		failed = sig_ecdsa_sign(own->key, *method, octets.data, octets.len, value,
					err, sizeof(err));
	ike_buf_free(&octets);
	if (failed)
		ike_warn(sa, NULL, "cannot sign our AUTH: %s", err);
	return !failed;
}

/* The certificate to show this peer (pubkey), by its CERTREQ. */
static const struct ike_own_cert *own_cert(struct ike_sa *sa)
{
	const struct ike_own_cert *own;

	if (sa->conn->auth != IKE_AUTH_BY_PUBKEY)
		return NULL;
	own = creds_pick(sa->conn->creds, sa->peer_cas, sa->n_peer_cas);
	certs_name(X509_get_subject_name(own->cert), sa->own_cert, sizeof(sa->own_cert));
	return own;
}

bool auth_put(struct ike_sa *sa, struct ike_writer *w)
{
	const struct ike_own_cert *own = own_cert(sa);
	struct ike_buf value;
	uint8_t method;
	int i;

	if (!auth_make(sa, own, &method, &value))
		return false;
	if (own && sa->conn->creds->send_cert) {
		put_cert(w, own->cert);
		for (i = 0; i < sk_X509_num(own->chain); i++)
			put_cert(w, sk_X509_value(own->chain, i));
	}
	ike_put_auth(w, method, value.data, value.len);
	ike_buf_free(&value);
	return true;
}

/* The keys without the PPK, for the length of one AUTH. */
static void swap_no_ppk(struct ike_sa *sa)
{
	uint8_t tmp[IKE_MAX_KEY_LEN];

	memcpy(tmp, sa->keys.sk_pi, sizeof(tmp));
	memcpy(sa->keys.sk_pi, sa->no_ppk.sk_pi, sizeof(tmp));
	memcpy(sa->no_ppk.sk_pi, tmp, sizeof(tmp));
	memcpy(tmp, sa->keys.sk_pr, sizeof(tmp));
	memcpy(sa->keys.sk_pr, sa->no_ppk.sk_pr, sizeof(tmp));
	memcpy(sa->no_ppk.sk_pr, tmp, sizeof(tmp));
	ike_wipe(tmp, sizeof(tmp));
}

bool auth_put_no_ppk(struct ike_sa *sa, struct ike_writer *w)
{
	struct ike_buf value, content = { 0 };
	uint8_t method;
	bool ok;

	swap_no_ppk(sa);
	ok = auth_make(sa, own_cert(sa), &method, &value);
	swap_no_ppk(sa);
	if (!ok)
		return false;
	/* Its data: an AUTH payload's body, method and all (RFC 8784 3). */
	ike_buf_put(&content, (uint8_t[]){ method, 0, 0, 0 }, 4);
	ike_buf_put(&content, value.data, value.len);
	ok = !content.failed;
	if (ok)
		ike_put_notify(w, 0, NULL, 0, IKE_N_NO_PPK_AUTH, content.data, content.len);
	ike_buf_free(&value);
	ike_buf_free(&content);
	return ok;
}

/* The peer's AUTH by its pre-shared key. */
static bool psk_fits(struct ike_sa *sa, const struct ike_payload *idp,
		     const uint8_t *auth, size_t auth_len, const char *who)
{
	uint8_t want[IKE_MAX_PRF_LEN];
	bool fits;

	fits = psk_value(sa, !sa->initiator, idp->body, idp->len, want) &&
	       auth_len == ike_prf_len(sa->suite.prf) && ike_equal(auth, want, auth_len);
	ike_wipe(want, sizeof(want));
	if (!fits)
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the AUTH of %s does not match our pre-shared key%s",
			 who, sa->ppk_used ? " and PPK: one of them differs" : ": the keys differ");
	return fits;
}

/* The peer's certificate (the first CERT) and the rest, its chain. */
static X509 *peer_certs(const struct ike_payload *pl, unsigned int n,
			STACK_OF(X509) **chain)
{
	X509 *leaf = NULL, *c;
	const uint8_t *p, *der;
	unsigned int i, taken = 0;
	const char *err;
	size_t len;

	*chain = sk_X509_new_null();
	for (i = 0; i < n && taken < CERT_MAX && *chain; i++) {
		if (pl[i].type != IKE_PL_CERT || ike_parse_cert(&pl[i], &der, &len, &err))
			continue;
		p = der;
		c = d2i_X509(NULL, &p, (long)len);
		if (!c || p != der + len) {
			X509_free(c);
			continue;
		}
		taken++;
		if (!leaf)
			leaf = c;
		else if (!sk_X509_push(*chain, c))
			X509_free(c);
	}
	return leaf;
}

/* The peer's AUTH by signature, with a certificate we trust that carries
 * the identity it claims.
 */
static bool signature_fits(struct ike_sa *sa, const struct ike_payload *pl,
			   unsigned int n, const struct ike_payload *idp, uint8_t method,
			   const uint8_t *auth, size_t auth_len, const char *who)
{
	const struct ike_creds *cr = sa->conn->creds;
	STACK_OF(X509) *chain = NULL;
	struct ike_buf octets = { 0 };
	X509 *leaf = peer_certs(pl, n, &chain);
	char err[512], subject[256] = "";
	bool fits = false;

	/* None sent: the one configured (remote_cert), if any. */
	if (!leaf && cr->peer_cert && X509_up_ref(cr->peer_cert)) {
		leaf = cr->peer_cert;
		sk_X509_free(chain);
		chain = X509_chain_up_ref(cr->peer_chain);
	}
	if (!leaf) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s sent no X.509 certificate (CERT), and remote_cert is not set",
			 who);
		goto done;
	}
	certs_name(X509_get_subject_name(leaf), subject, sizeof(subject));
	/* Without a CA only the certificate of remote_cert is taken, as it is. */
	if (!cr->have_ca && X509_cmp(leaf, cr->peer_cert)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s's certificate \"%s\" is not that of remote_cert",
			 who, subject);
		goto done;
	}
	if (cr->have_ca &&
	    certs_verify(&cr->trust, leaf, chain, 0, err, sizeof(err))) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s's %s", who, err);
		goto done;
	}
	if (!certs_has_id(leaf, idp->body[0], idp->body + 4, idp->len - 4)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the identity of %s is not in its certificate \"%s\" (its subject, or a subjectAltName of that kind)",
			 who, subject);
		goto done;
	}
	if (!signed_octets(sa, !sa->initiator, idp->body, idp->len, &octets) ||
	    (method == IKE_AUTH_DIGITAL_SIGNATURE ?
	     sig_verify(X509_get0_pubkey(leaf), auth, auth_len, octets.data, octets.len,
			err, sizeof(err)) :
	     sig_ecdsa_verify(X509_get0_pubkey(leaf), method, auth, auth_len, octets.data,
			      octets.len, err, sizeof(err)))) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the AUTH of %s (certificate \"%s\"): %s",
			 who, subject, octets.data ? err : "out of memory");
		goto done;
	}
	snprintf(sa->peer_cert, sizeof(sa->peer_cert), "%s", subject);
	certs_name(X509_get_issuer_name(leaf), sa->peer_cert_issuer,
		   sizeof(sa->peer_cert_issuer));
	sa->peer_cert_until = certs_not_after(leaf);
	fits = true;
done:
	ike_buf_free(&octets);
	sk_X509_pop_free(chain, X509_free);
	X509_free(leaf);
	return fits;
}

bool auth_check(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n)
{
	const struct ike_conn *conn = sa->conn;
	const struct ike_payload *idp, *ap;
	const uint8_t *id, *auth;
	size_t id_len, auth_len;
	uint8_t type, method;
	bool by_psk = conn->remote_auth == IKE_AUTH_BY_PSK;
	const char *err = NULL, *role = sa->initiator ? "responder" : "initiator";
	char got[IKE_MAX_ID + 1], exp[IKE_MAX_ID + 1], who[IKE_MAX_ID + 32];
	bool fits;

	idp = ike_find(pl, n, sa->initiator ? IKE_PL_IDR : IKE_PL_IDI);
	ap = ike_find(pl, n, IKE_PL_AUTH);
	if (!idp || !ap || ike_parse_id(idp, &type, &id, &id_len, &err) ||
	    ike_parse_auth(ap, &method, &auth, &auth_len, &err)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s",
			 err ? err : "the peer sent no ID or no AUTH payload");
		return false;
	}
	ike_id_format(type, id, id_len, got, sizeof(got));
	ike_id_format(conn->remote_id.type, conn->remote_id.data, conn->remote_id.len,
		      exp, sizeof(exp));
	if (id_len > sizeof(sa->peer_id) || !ike_id_fits(&conn->remote_id, type, id, id_len)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: the peer (%s) identifies as \"%s\", but remote_id is \"%s\"",
			 role, got, exp);
		return false;
	}
	snprintf(who, sizeof(who), "\"%s\" (the %s)", got, role);
	if (by_psk ? method != IKE_AUTH_PSK :
		     method != IKE_AUTH_DIGITAL_SIGNATURE && !sig_is_ecdsa_method(method)) {
		ike_warn(sa, NULL, "AUTHENTICATION_FAILED: %s authenticates with method %u; remote_auth = %s takes %s",
			 who, method, by_psk ? "psk" : "pubkey",
			 by_psk ? "method 2" : "methods 14, 9, 10 and 11 (RSA by method 1 signs with SHA-1: refused)");
		return false;
	}
	if (by_psk)
		fits = psk_fits(sa, idp, auth, auth_len, who);
	else
		fits = signature_fits(sa, pl, n, idp, method, auth, auth_len, who);
	if (!fits)
		return false;
	sa->peer_id_type = type;
	memcpy(sa->peer_id, id, id_len);
	sa->peer_id_len = id_len;
	return true;
}

bool auth_check_no_ppk(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n)
{
	struct ike_payload sub[IKE_MAX_PAYLOADS];
	struct ike_notify nt;
	unsigned int i;

	if (!ike_has_notify(pl, n, IKE_N_NO_PPK_AUTH, &nt) || n > IKE_MAX_PAYLOADS)
		return false;
	/* The AUTH payload as the notify's data says it. */
	for (i = 0; i < n; i++) {
		sub[i] = pl[i];
		if (sub[i].type == IKE_PL_AUTH) {
			sub[i].body = nt.data;
			sub[i].len = nt.len;
		}
	}
	return auth_check(sa, sub, n);
}

void auth_put_certreq(const struct ike_conn *c, struct ike_writer *w)
{
	uint8_t hashes[16 * CERTS_HASH_LEN];
	size_t nh, off;

	if (c->remote_auth != IKE_AUTH_BY_PUBKEY || !c->creds)
		return;
	nh = certs_ca_hashes(&c->creds->trust, hashes, sizeof(hashes));
	if (!nh)
		return;
	off = ike_writer_begin(w, IKE_PL_CERTREQ, false);
	ike_buf_u8(&w->buf, IKE_CERT_X509_SIGNATURE);
	ike_buf_put(&w->buf, hashes, nh * CERTS_HASH_LEN);
	ike_writer_end(w, off);
}

void auth_peer_cas(struct ike_sa *sa, const struct ike_payload *pl, unsigned int n)
{
	const uint8_t *hashes;
	unsigned int i, k, nh;
	const char *err;

	for (i = 0; i < n; i++) {
		/* Another encoding, or hashes cut short: nothing asked of us. */
		if (pl[i].type != IKE_PL_CERTREQ ||
		    ike_parse_certreq(&pl[i], &hashes, &nh, &err))
			continue;
		for (k = 0; k < nh && sa->n_peer_cas < IKE_MAX_PEER_CAS; k++)
			memcpy(sa->peer_cas + CERTS_HASH_LEN * sa->n_peer_cas++,
			       hashes + k * CERTS_HASH_LEN, CERTS_HASH_LEN);
	}
}

void auth_put_hash_algorithms(const struct ike_conn *c, struct ike_writer *w)
{
	static const uint8_t ours[] = { 0, IKE_HASH_SHA256, 0, IKE_HASH_SHA384,
					0, IKE_HASH_SHA512, 0, IKE_HASH_IDENTITY };

	if (c->auth == IKE_AUTH_BY_PUBKEY || c->remote_auth == IKE_AUTH_BY_PUBKEY)
		ike_put_notify(w, 0, NULL, 0, IKE_N_SIGNATURE_HASH_ALGORITHMS, ours,
			       sizeof(ours));
}

unsigned int auth_peer_hashes(const struct ike_payload *pl, unsigned int n)
{
	struct ike_notify nt;
	unsigned int set = 0;
	size_t i;

	if (!ike_has_notify(pl, n, IKE_N_SIGNATURE_HASH_ALGORITHMS, &nt))
		return 0;
	for (i = 0; i + 1 < nt.len; i += 2) {
		unsigned int h = (unsigned int)nt.data[i] << 8 | nt.data[i + 1];

		if (h < 32)
			set |= 1u << h;
	}
	return set;
}

void auth_forget_inputs(struct ike_sa *sa)
{
	ike_buf_free(&sa->init_req);
	ike_buf_free(&sa->init_resp);
	ike_wipe(sa->keys.sk_pi, sizeof(sa->keys.sk_pi));
	ike_wipe(sa->keys.sk_pr, sizeof(sa->keys.sk_pr));
}
