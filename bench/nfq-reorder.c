/*
 * nfq-reorder.c QUEUE PERCENT [--depth K] [--max-hold-ms T] [--seed S] [--duration S]
 *               | --print-draws N [--seed S]
 *
 * The compiled twin of bench/nfq-reorder.py: the same model, the same command line, the same
 * counts on stderr, the same random draws (Python's Mersenne Twister, seeded as
 * random.Random(S * 1000 + direction ordinal) seeds it, and random()'s 53-bit doubles), so for the
 * same sequence of packets it holds the same ones for as long. What differs is the cost per packet:
 * Python spends some 30 us of one CPU on each, which at a few hundred Mbit/s is the whole CPU;
 * this spends a few, so the reorderer stops being the bottleneck of the path it sits in.
 *
 * The model, per direction (a direction is the packet's input interface):
 *   - each packet, independently, is held with probability PERCENT/100;
 *   - a held packet is released right after the K-th later packet of its direction has been
 *     accepted at once (released held packets do not count), or after T ms if fewer than K
 *     followed, whichever first;
 *   - a released packet is not held again; at most 256 packets are held at once (the one with the
 *     earliest deadline goes when that is reached); it never drops.
 * --print-draws N prints the first N draws of direction 0 and exits: compare them with
 * python3 -c 'import random; r = random.Random(S * 1000); print(*[repr(r.random()) for _ in range(N)], sep="\n")'.
 *
 * Needs root (CAP_NET_ADMIN in the namespace); only libc. Build: gcc -O2 -o nfq-reorder nfq-reorder.c
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <sys/socket.h>

#define MAX_HELD 256
#define MAX_DIRECTIONS 16
#define BATCH 128
#define VERDICT_LEN (NLMSG_ALIGN(sizeof(struct nlmsghdr)) + NLMSG_ALIGN(sizeof(struct nfgenmsg)) \
                     + NLA_ALIGN(NLA_HDRLEN + sizeof(struct nfqnl_msg_verdict_hdr)))

/* ---- Python's random.Random: MT19937, init_by_array, random() ---- */

struct mt { uint32_t s[624]; int i; };

static void mt_init(struct mt *m, uint32_t seed)
{
  m->s[0] = seed;
  for (int i = 1; i < 624; i++)
    m->s[i] = 1812433253u * (m->s[i - 1] ^ (m->s[i - 1] >> 30)) + (uint32_t)i;
  m->i = 624;
}

/* random.Random(n) for 0 <= n < 2^32: init_by_array with the one-word key {n}. */
static void mt_seed(struct mt *m, uint32_t n)
{
  int i = 1, j = 0;
  mt_init(m, 19650218u);
  for (int k = 624; k; k--) {
    m->s[i] = (m->s[i] ^ ((m->s[i - 1] ^ (m->s[i - 1] >> 30)) * 1664525u)) + n + (uint32_t)j;
    i++; j = 0;
    if (i >= 624) { m->s[0] = m->s[623]; i = 1; }
  }
  for (int k = 623; k; k--) {
    m->s[i] = (m->s[i] ^ ((m->s[i - 1] ^ (m->s[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    i++;
    if (i >= 624) { m->s[0] = m->s[623]; i = 1; }
  }
  m->s[0] = 0x80000000u;
}

static uint32_t mt_next(struct mt *m)
{
  if (m->i >= 624) {
    for (int k = 0; k < 624; k++) {
      uint32_t y = (m->s[k] & 0x80000000u) | (m->s[(k + 1) % 624] & 0x7fffffffu);
      m->s[k] = m->s[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) ? 0x9908b0dfu : 0);
    }
    m->i = 0;
  }
  uint32_t y = m->s[m->i++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

static double mt_random(struct mt *m)
{
  uint32_t a = mt_next(m) >> 5, b = mt_next(m) >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* ---- netlink ---- */

static int sock;
static unsigned char verdicts[BATCH * VERDICT_LEN];
static int verdict_count;
static uint16_t queue_num;

static void die(const char *what)
{
  fprintf(stderr, "nfq-reorder: %s: %s\n", what, strerror(errno));
  exit(1);
}

static size_t put_header(unsigned char *buf, uint16_t type, uint16_t flags, uint32_t seq)
{
  struct nlmsghdr *nh = (struct nlmsghdr *)buf;
  nh->nlmsg_type = (NFNL_SUBSYS_QUEUE << 8) | type;
  nh->nlmsg_flags = flags;
  nh->nlmsg_seq = seq;
  nh->nlmsg_pid = 0;
  struct nfgenmsg *g = (struct nfgenmsg *)(buf + NLMSG_ALIGN(sizeof *nh));
  g->nfgen_family = AF_UNSPEC;
  g->version = NFNETLINK_V0;
  g->res_id = htons(queue_num);
  return NLMSG_ALIGN(sizeof *nh) + NLMSG_ALIGN(sizeof *g);
}

static size_t put_attr(unsigned char *buf, size_t at, uint16_t type, const void *data, size_t len)
{
  struct nlattr *a = (struct nlattr *)(buf + at);
  a->nla_len = (uint16_t)(NLA_HDRLEN + len);
  a->nla_type = type;
  memcpy(buf + at + NLA_HDRLEN, data, len);
  memset(buf + at + NLA_HDRLEN + len, 0, NLA_ALIGN(NLA_HDRLEN + len) - (NLA_HDRLEN + len));
  return at + NLA_ALIGN(NLA_HDRLEN + len);
}

static void configure(uint32_t seq, uint16_t type1, const void *d1, size_t l1,
                      uint16_t type2, const void *d2, size_t l2)
{
  unsigned char buf[256];
  size_t len = put_header(buf, NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq);
  len = put_attr(buf, len, type1, d1, l1);
  if (d2) len = put_attr(buf, len, type2, d2, l2);
  ((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)len;
  if (send(sock, buf, len, 0) < 0) die("configuring the queue");
  unsigned char reply[4096];
  ssize_t n = recv(sock, reply, sizeof reply, 0);
  if (n < 0) die("configuring the queue");
  struct nlmsghdr *nh = (struct nlmsghdr *)reply;
  if (nh->nlmsg_type == NLMSG_ERROR) {
    int error = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
    if (error) {
      fprintf(stderr, "nfq-reorder: queue %u configuration refused: %s\n", queue_num, strerror(-error));
      exit(1);
    }
  }
}

static void flush_verdicts(void)
{
  size_t len = (size_t)verdict_count * VERDICT_LEN;
  while (verdict_count && send(sock, verdicts, len, 0) < 0) {
    if (errno != EAGAIN && errno != EINTR) die("sending verdicts");
    struct pollfd p = { .fd = sock, .events = POLLOUT };
    poll(&p, 1, 10);
  }
  verdict_count = 0;
}

static void accept_packet(uint32_t id)
{
  unsigned char *buf = verdicts + (size_t)verdict_count * VERDICT_LEN;
  size_t len = put_header(buf, NFQNL_MSG_VERDICT, NLM_F_REQUEST, 0);
  struct nfqnl_msg_verdict_hdr v = { .verdict = htonl(NF_ACCEPT), .id = htonl(id) };
  len = put_attr(buf, len, NFQA_VERDICT_HDR, &v, sizeof v);
  ((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)len;
  if (++verdict_count == BATCH) flush_verdicts();
}

/* ---- the model ---- */

struct held { uint32_t id; uint64_t release_at_count; double deadline; };
struct direction {
  uint32_t indev;
  struct mt rng;
  struct held q[MAX_HELD + 1];   /* FIFO ring: the head is the oldest, the first due */
  int head, len;
  uint64_t accepted;             /* packets of this direction accepted at once */
  unsigned long packets, held, after_k, after_t;   /* this direction's share of the counts */
};

static struct direction dirs[MAX_DIRECTIONS];
static int ndirs, held_count;
static unsigned long c_packets, c_held, c_after_k, c_after_t, c_full;
static volatile sig_atomic_t stop, report;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct held *front(struct direction *d) { return &d->q[d->head]; }

static uint32_t pop(struct direction *d)
{
  uint32_t id = d->q[d->head].id;
  d->head = (d->head + 1) % (MAX_HELD + 1);
  d->len--;
  held_count--;
  return id;
}

static void on_packet(uint32_t id, uint32_t indev, double percent, int depth, double hold_s, int seed)
{
  struct direction *d = NULL;
  c_packets++;
  for (int i = 0; i < ndirs; i++) if (dirs[i].indev == indev) { d = &dirs[i]; break; }
  if (!d) {
    if (ndirs == MAX_DIRECTIONS) { accept_packet(id); return; }
    /* Directions are numbered in the order their first packet came, as the Python one does. */
    d = &dirs[ndirs];
    d->indev = indev;
    mt_seed(&d->rng, (uint32_t)(seed * 1000 + ndirs));
    ndirs++;
  }
  d->packets++;
  if (mt_random(&d->rng) < percent / 100.0) {
    c_held++;
    d->held++;
    struct held *h = &d->q[(d->head + d->len) % (MAX_HELD + 1)];
    h->id = id;
    h->release_at_count = d->accepted + (uint64_t)depth;
    h->deadline = now_s() + hold_s;
    d->len++;
    held_count++;
    if (held_count > MAX_HELD) {
      struct direction *oldest = NULL;
      for (int i = 0; i < ndirs; i++)
        if (dirs[i].len && (!oldest || front(&dirs[i])->deadline < front(oldest)->deadline)) oldest = &dirs[i];
      accept_packet(pop(oldest));
      c_full++;
    }
  } else {
    accept_packet(id);
    d->accepted++;
    while (d->len && front(d)->release_at_count <= d->accepted) {
      accept_packet(pop(d));
      c_after_k++;
      d->after_k++;
    }
  }
}

static void on_signal(int sig) { (void)sig; stop = 1; }
static void on_report(int sig) { (void)sig; report = 1; }

/* SIGUSR1: one line of each direction's counts so far, so that a script can take the difference
 * over one transfer: a segment released by the T bound waited that long, which its sender pays for
 * when it could not send the K later segments (a window closed at the hole), and which the
 * reordering alone would not cost. */
static void print_counts(void)
{
  for (int i = 0; i < ndirs; i++) {
    char name[IF_NAMESIZE] = "?";
    if (!if_indextoname(dirs[i].indev, name)) snprintf(name, sizeof name, "if%u", dirs[i].indev);
    fprintf(stderr, "nfq-reorder counts: in %s packets %lu held %lu after_k %lu after_t %lu\n",
            name, dirs[i].packets, dirs[i].held, dirs[i].after_k, dirs[i].after_t);
  }
  fprintf(stderr, "nfq-reorder counts: end\n");
}

int main(int argc, char **argv)
{
  double percent = -1, max_hold_ms = 10, duration = 3600;
  int depth = 5, seed = 1, draws = -1, queue = -1, positional = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--depth") && v) { depth = atoi(v); i++; }
    else if (!strcmp(a, "--max-hold-ms") && v) { max_hold_ms = atof(v); i++; }
    else if (!strcmp(a, "--seed") && v) { seed = atoi(v); i++; }
    else if (!strcmp(a, "--duration") && v) { duration = atof(v); i++; }
    else if (!strcmp(a, "--print-draws") && v) { draws = atoi(v); i++; }
    else if (a[0] != '-' && positional == 0) { queue = atoi(a); positional++; }
    else if (a[0] != '-' && positional == 1) { percent = atof(a); positional++; }
    else {
      fprintf(stderr, "usage: nfq-reorder QUEUE PERCENT [--depth K] [--max-hold-ms T] [--seed S] [--duration S]\n"
                      "       nfq-reorder --print-draws N [--seed S]\n");
      return 2;
    }
  }
  if (draws >= 0) {
    struct mt m;
    mt_seed(&m, (uint32_t)(seed * 1000));
    for (int i = 0; i < draws; i++) printf("%.17g\n", mt_random(&m));
    return 0;
  }
  if (queue < 0 || queue > 65535 || percent < 0 || percent > 100 || depth < 1 || max_hold_ms <= 0) {
    fprintf(stderr, "nfq-reorder: QUEUE 0..65535 and PERCENT 0..100 are needed, --depth at least 1, --max-hold-ms above 0\n");
    return 2;
  }
  queue_num = (uint16_t)queue;

  sock = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
  if (sock < 0) die("netlink socket (needs root)");
  int size = 16 << 20, one = 1;
  if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0) die("SO_RCVBUFFORCE");
  setsockopt(sock, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  struct sockaddr_nl local = { .nl_family = AF_NETLINK };
  if (bind(sock, (struct sockaddr *)&local, sizeof local) < 0) die("bind");
  struct nfqnl_msg_config_cmd bind_cmd = { .command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET) };
  configure(1, NFQA_CFG_CMD, &bind_cmd, sizeof bind_cmd, 0, NULL, 0);
  struct nfqnl_msg_config_params params = { .copy_range = htonl(0), .copy_mode = NFQNL_COPY_META };
  uint32_t maxlen = htonl(8192);
  configure(2, NFQA_CFG_PARAMS, &params, sizeof params, NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen);
  printf("nfq-reorder ready: queue %u, %g %% held for %d packets or %g ms, seed %d\n",
         queue_num, percent, depth, max_hold_ms, seed);
  fflush(stdout);

  struct sigaction sa = { .sa_handler = on_signal };
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  struct sigaction sr = { .sa_handler = on_report };
  sigaction(SIGUSR1, &sr, NULL);
  double hold_s = max_hold_ms / 1000.0, end = now_s() + duration;
  static unsigned char buf[65536];
  while (!stop && now_s() < end) {
    double now = now_s(), earliest = now + 0.2;
    for (int i = 0; i < ndirs; i++)
      if (dirs[i].len && front(&dirs[i])->deadline < earliest) earliest = front(&dirs[i])->deadline;
    /* poll's resolution is a millisecond: round up, so a deadline is never checked early forever. */
    int timeout_ms = earliest <= now ? 0 : (int)((earliest - now) * 1000.0) + 1;
    struct pollfd p = { .fd = sock, .events = POLLIN };
    int ready = poll(&p, 1, timeout_ms);
    if (ready < 0 && errno != EINTR) die("poll");
    for (int n = 0; ready > 0 && n < 256; n++) {
      ssize_t got = recv(sock, buf, sizeof buf, MSG_DONTWAIT);
      if (got < 0) {
        if (errno == EAGAIN || errno == EINTR) break;
        die("recv");
      }
      for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)got); nh = NLMSG_NEXT(nh, got)) {
        if (nh->nlmsg_type != ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET)) continue;
        uint32_t id = 0, indev = 0;
        int have_id = 0;
        unsigned char *at = (unsigned char *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(struct nfgenmsg));
        unsigned char *stop_at = (unsigned char *)nh + nh->nlmsg_len;
        while (at + NLA_HDRLEN <= stop_at) {
          struct nlattr *a = (struct nlattr *)at;
          if (a->nla_len < NLA_HDRLEN || at + a->nla_len > stop_at) break;
          int type = a->nla_type & NLA_TYPE_MASK;
          if (type == NFQA_PACKET_HDR) {
            struct nfqnl_msg_packet_hdr *ph = (struct nfqnl_msg_packet_hdr *)(at + NLA_HDRLEN);
            id = ntohl(ph->packet_id);
            have_id = 1;
          } else if (type == NFQA_IFINDEX_INDEV) {
            uint32_t raw;
            memcpy(&raw, at + NLA_HDRLEN, sizeof raw);
            indev = ntohl(raw);
          }
          at += NLA_ALIGN(a->nla_len);
        }
        if (have_id) on_packet(id, indev, percent, depth, hold_s, seed);
      }
    }
    now = now_s();
    for (int i = 0; i < ndirs; i++)
      while (dirs[i].len && front(&dirs[i])->deadline <= now) {
        accept_packet(pop(&dirs[i]));
        c_after_t++;
        dirs[i].after_t++;
      }
    flush_verdicts();
    if (report) {
      report = 0;
      print_counts();
    }
  }
  for (int i = 0; i < ndirs; i++)
    while (dirs[i].len) accept_packet(pop(&dirs[i]));
  flush_verdicts();
  struct nfqnl_msg_config_cmd unbind = { .command = NFQNL_CFG_CMD_UNBIND, .pf = htons(AF_INET) };
  configure(3, NFQA_CFG_CMD, &unbind, sizeof unbind, 0, NULL, 0);
  fprintf(stderr, "nfq-reorder: held %lu, packets %lu, released after K %lu, released after T %lu",
          c_held, c_packets, c_after_k, c_after_t);
  if (c_full) fprintf(stderr, ", released when full %lu", c_full);
  fprintf(stderr, "\n");
  return 0;
}
