// SPDX-License-Identifier: GPL-2.0
/* The harness's network: a queue of what iked sent, delivered by the test. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../iked/cp.h"
#include "../../iked/ctl.h"
#include "harness.h"

const char harness_pair[] =
	"[a]\n"
	"local = 192.0.2.1\n"
	"remote = 192.0.2.2\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"mode = transport\n"
	"ike = aes128gcm16-prfsha256-x25519\n"
	"esp = aes128gcm16\n"
	"start = none\n"
	"[b]\n"
	"local = 192.0.2.2\n"
	"remote = 192.0.2.1\n"
	"psk = 0x00112233445566778899aabbccddeeff\n"
	"mode = transport\n"
	"ike = aes128gcm16-prfsha256-x25519-ecp256\n"
	"esp = aes128gcm16\n"
	"start = none\n";
struct sockaddr_storage at_a, at_b;
struct sent_msg harness_sent[HARNESS_MAX_SENT];
unsigned int harness_nsent;
static unsigned int shuffle_seed;

/* In place of net.c's (the linker's --wrap): nothing leaves the process. */
bool __wrap_net_send(const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, const uint8_t *buf,
		     size_t len);
void __wrap_net_keepalive(const struct sockaddr_storage *local,
			  const struct sockaddr_storage *remote);

bool __wrap_net_send(const struct sockaddr_storage *local,
		     const struct sockaddr_storage *remote, const uint8_t *buf,
		     size_t len)
{
	struct sent_msg *m;

	if (harness_nsent >= HARNESS_MAX_SENT)
		return false;
	m = &harness_sent[harness_nsent];
	m->data = malloc(len);
	if (!m->data)
		return false;
	memcpy(m->data, buf, len);
	m->len = len;
	m->from = *local;
	m->to = *remote;
	harness_nsent++;
	return true;
}

void __wrap_net_keepalive(const struct sockaddr_storage *local,
			  const struct sockaddr_storage *remote)
{
	(void)local;
	(void)remote;
}

void harness_load(const char *text)
{
	char path[] = "/tmp/iked-harness-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror("harness_load");
		exit(2);
	}
	close(fd);
	/* iked's log only when asked for: a test's output is its TAP lines. */
	if (!ike_log_file && !getenv("HARNESS_LOG"))
		ike_log_file = fopen("/dev/null", "w");
	config_free(&iked.conf);
	if (config_load(path, &iked.conf, stderr)) {
		fprintf(stderr, "harness_load: the test's configuration has errors\n");
		exit(2);
	}
	unlink(path);
	at_a = harness_addr("192.0.2.1", IKE_PORT);
	at_b = harness_addr("192.0.2.2", IKE_PORT);
	conn_start_all();
}

void harness_load_pair(const char *a_extra, const char *b_extra)
{
	static const char common[] = "mode = transport\n"
		"ike = aes128gcm16-prfsha256-x25519\nesp = aes128gcm16\n";
	char *text;

	if (asprintf(&text, "[a]\nlocal = 192.0.2.1\nremote = 192.0.2.2\n%s%s\n"
		     "[b]\nlocal = 192.0.2.2\nremote = 192.0.2.1\n%s%s\n",
		     common, a_extra, common, b_extra) < 0)
		exit(2);
	harness_reset();
	harness_load(text);
	free(text);
}

void harness_a_starts(void)
{
	stub_side = at_a;
	ike_initiate(config_find(&iked.conf, "a"), NULL, NULL);
	harness_deliver(100);
}

void sent_free(struct sent_msg *m)
{
	free(m->data);
	m->data = NULL;
}

void harness_shuffle(unsigned int seed)
{
	shuffle_seed = seed;
}

bool harness_take(struct sent_msg *m)
{
	unsigned int i = 0;

	if (!harness_nsent)
		return false;
	if (shuffle_seed)
		i = (unsigned int)rand_r(&shuffle_seed) % harness_nsent;
	*m = harness_sent[i];
	memmove(harness_sent + i, harness_sent + i + 1,
		(--harness_nsent - i) * sizeof(harness_sent[0]));
	return true;
}

void harness_end(void)
{
	harness_reset();
	config_free(&iked.conf);
	if (ike_log_file)
		fclose(ike_log_file);
	ike_log_file = NULL;
}

void harness_reset(void)
{
	struct sent_msg m;
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next) {
		stub_side = sa->local;
		ike_sa_down(sa, NULL);
	}
	ike_sa_remove_dead();
	shuffle_seed = 0;
	while (harness_take(&m))
		sent_free(&m);
	stub_kernel_reset();
}

unsigned int harness_deliver(unsigned int max)
{
	struct sent_msg m;
	unsigned int n = 0;

	while (n < max && harness_take(&m)) {
		stub_side = m.to;
		ike_receive(m.data, m.len, &m.to, &m.from);
		sent_free(&m);
		ike_sa_remove_dead();
		n++;
	}
	return n;
}

void harness_tick(time_t now)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next) {
		stub_side = sa->local;
		ike_sa_tick(sa, now);
	}
	ike_sa_remove_dead();
}

struct sockaddr_storage harness_addr(const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
	} else {
		fprintf(stderr, "harness_addr: %s is no address\n", addr);
		exit(2);
	}
	return ss;
}

unsigned int harness_ike_sas(const struct ike_conn *conn, bool established)
{
	const struct ike_sa *sa;
	unsigned int n = 0;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->conn == conn && sa->state != IKE_S_DEAD &&
		    (!established || sa->state == IKE_S_ESTABLISHED))
			n++;
	return n;
}

unsigned int harness_open(const struct ike_sa *sa, const struct sent_msg *m,
			  uint8_t *plain, size_t cap, struct ike_payload *pl)
{
	struct ike_payload outer[IKE_MAX_PAYLOADS];
	const struct ike_payload *sk;
	struct ike_header hdr;
	const char *err;
	unsigned int n;
	size_t len;

	if (!sa || ike_parse_header(m->data, m->len, &hdr, &err) ||
	    ike_parse_chain(hdr.next_payload, m->data + IKE_HDR_LEN,
			    m->len - IKE_HDR_LEN, outer, IKE_MAX_PAYLOADS, &n, &err) ||
	    ike_need(outer, n, IKE_PL_SK, &sk, &err) ||
	    !ike_sk_open(&sa->suite, &sa->keys, !sa->initiator, m->data, m->len,
			 (size_t)(sk->body - m->data), plain, cap, &len, &err) ||
	    ike_parse_chain(sk->body[-4], plain, len, pl, IKE_MAX_PAYLOADS, &n, &err))
		return 0;
	return n;
}

const char *harness_conf_says(const char *text)
{
	static char said[2048];
	char file[] = "/tmp/iked-harness-conf-XXXXXX";
	struct ike_config conf = { 0 };
	FILE *f = fmemopen(said, sizeof(said) - 1, "w");
	int fd = mkstemp(file);

	memset(said, 0, sizeof(said));
	if (!f || fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		exit(2);
	close(fd);
	config_load(file, &conf, f);
	fclose(f);
	config_free(&conf);
	unlink(file);
	for (char *nl = said; (nl = strchr(nl, '\n'));)
		*nl = nl[1] ? '|' : '\0';
	return said;
}

const struct ike_cp_attr harness_cp_request[HARNESS_CP_REQUEST_N] = {
	{ IKE_CP_INTERNAL_IP4_ADDRESS, 0, NULL }, { IKE_CP_INTERNAL_IP6_ADDRESS, 0, NULL },
	{ IKE_CP_INTERNAL_IP4_DNS, 0, NULL }, { IKE_CP_INTERNAL_IP6_DNS, 0, NULL },
};

void harness_chain_of(struct ike_writer *w, const struct ike_payload *pl, unsigned int n)
{
	unsigned int i;

	ike_writer_chain(w);
	for (i = 0; i < n; i++) {
		size_t off = ike_writer_begin(w, pl[i].type, false);

		ike_buf_put(&w->buf, pl[i].body, pl[i].len);
		ike_writer_end(w, off);
	}
}

struct ike_sa *harness_sa_at(const struct sockaddr_storage *addr, const struct sent_msg *m)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state != IKE_S_DEAD && sockaddr_same_addr(&sa->local, addr) &&
		    !memcmp(sa->spi_i, m->data, IKE_SPI_LEN) &&
		    !memcmp(sa->spi_r, m->data + IKE_SPI_LEN, IKE_SPI_LEN))
			return sa;
	return NULL;
}

void harness_send_sealed(const struct sent_msg *real, uint8_t first, const uint8_t *chain,
			 size_t len)
{
	struct ike_sa *from = harness_sa_at(&real->from, real);
	struct ike_header hdr;
	struct ike_writer w;
	struct ike_buf out;
	const char *err;

	if (!from || ike_parse_header(real->data, real->len, &hdr, &err))
		return;
	ike_writer_chain(&w);
	w.first_type = first;
	ike_buf_put(&w.buf, chain, len);
	if (ike_sa_seal(from, hdr.exchange, hdr.flags & IKE_FLAG_RESPONSE,
			hdr.msg_id, &w, &out)) {
		stub_side = real->to;
		ike_receive(out.data, out.len, &real->to, &real->from);
		ike_buf_free(&out);
	}
	ike_buf_free(&w.buf);
}

bool harness_send_fragment(const struct sent_msg *real, uint8_t first, unsigned int num,
			   unsigned int total, const uint8_t *chunk, size_t len,
			   bool break_icv)
{
	struct ike_sa *from = harness_sa_at(&real->from, real);
	static uint8_t d[IKE_MAX_MSG];
	size_t aad = IKE_HDR_LEN + 8, body, sealed;

	if (!from)
		return false;
	body = ike_sk_overhead(&from->suite, len);
	if (aad + body > sizeof(d))
		return false;
	memcpy(d, real->data, IKE_HDR_LEN);
	d[16] = IKE_PL_SKF;
	d[24] = (uint8_t)((aad + body) >> 24);
	d[25] = (uint8_t)((aad + body) >> 16);
	d[26] = (uint8_t)((aad + body) >> 8);
	d[27] = (uint8_t)(aad + body);
	d[IKE_HDR_LEN] = num == 1 ? first : IKE_PL_NONE;
	d[IKE_HDR_LEN + 1] = 0;
	d[IKE_HDR_LEN + 2] = (uint8_t)((8 + body) >> 8);
	d[IKE_HDR_LEN + 3] = (uint8_t)(8 + body);
	d[IKE_HDR_LEN + 4] = (uint8_t)(num >> 8);
	d[IKE_HDR_LEN + 5] = (uint8_t)num;
	d[IKE_HDR_LEN + 6] = (uint8_t)(total >> 8);
	d[IKE_HDR_LEN + 7] = (uint8_t)total;
	if (!ike_sk_seal(&from->suite, &from->keys, from->initiator, d, aad, chunk, len,
			 d + aad, &sealed) || sealed != body)
		return false;
	if (break_icv)
		d[aad + body - 1] ^= 1;
	stub_side = real->to;
	ike_receive(d, aad + body, &real->to, &real->from);
	ike_sa_remove_dead();
	return true;
}

/* The live established IKE SAs of a and b that are each other's peer, with
 * every CHILD SA's SPIs in both kernels.
 */
unsigned int harness_working_pairs(void)
{
	const struct ike_sa *x, *y;
	const struct child_sa *c;
	unsigned int pairs = 0;
	bool ok;

	for (x = iked.sas; x; x = x->next) {
		if (x->state != IKE_S_ESTABLISHED || strcmp(x->conn->name, "a"))
			continue;
		for (y = iked.sas; y; y = y->next) {
			if (y->state != IKE_S_ESTABLISHED || strcmp(y->conn->name, "b") ||
			    y->initiator == x->initiator ||
			    memcmp(x->spi_i, y->spi_i, IKE_SPI_LEN) ||
			    memcmp(x->spi_r, y->spi_r, IKE_SPI_LEN))
				continue;
			ok = x->children != NULL;
			for (c = x->children; c; c = c->next)
				ok &= stub_sa_by_spi(&at_a, c->spi_in) &&
				      stub_sa_by_spi(&at_b, c->spi_in) &&
				      stub_sa_by_spi(&at_a, c->spi_out) &&
				      stub_sa_by_spi(&at_b, c->spi_out);
			pairs += ok;
		}
	}
	return pairs;
}

struct ike_sa *harness_up(const char *name)
{
	struct ike_sa *sa;

	for (sa = iked.sas; sa; sa = sa->next)
		if (sa->state == IKE_S_ESTABLISHED && !strcmp(sa->conn->name, name))
			return sa;
	return NULL;
}

bool harness_nothing_left(void)
{
	ike_sa_remove_dead();
	return !harness_ike_sas(config_find(&iked.conf, "a"), false) &&
	       !harness_ike_sas(config_find(&iked.conf, "b"), false) && !stub_nsas;
}

bool harness_ctl_says(const char *cmd, const char *text)
{
	char *out = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	bool has;

	if (!f)
		return false;
	ctl_command(cmd, f);
	fclose(f);
	has = out && strstr(out, text);
	for (line = has || !out ? NULL : strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("# %s: %s\n", cmd, line);
	free(out);
	return has;
}
