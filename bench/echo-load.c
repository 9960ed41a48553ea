/*
 * The load of `npm run bench`, in C so that the load generator is never the bottleneck: one thread,
 * epoll, 127.0.0.1 only. Compiled by bench/load-generator.ts with the system's cc at bench time.
 *
 *   echo-load rtt   <port> <conns> <seconds> <msg_bytes>     one message in flight per connection
 *   echo-load bulk  <port> <conns> <seconds> <chunk_bytes>   stream and read the echo back (1 MiB window)
 *   echo-load churn <port> <concurrency> <seconds> <max_conns> <msg_bytes>
 *                   connect, one round trip, half-close, wait for the server's EOF, close; repeat
 *   echo-load hold  <port> <conns>                           open idle connections; close them at stdin EOF
 *
 * Prints one JSON line (bench/bench-protocol.ts, DriverResult). Round trips and bytes count only what
 * completed before the deadline; `seconds` is the measured window.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define CONNECTS_IN_FLIGHT 256
#define HIST_US 1000000 /* latency histogram: 1 us buckets up to 1 s */
#define BULK_WINDOW (1 << 20)

static int port;
static int ep;
static unsigned hist[HIST_US + 1];
static char scratch[256 * 1024];

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int start_connect(int source) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (source > 0) {
    /* Many source addresses: a long churn must not run out of ephemeral ports in TIME_WAIT. */
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000000u | source)};
    bind(fd, (struct sockaddr *)&src, sizeof src);
  }
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001u)};
  if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

static int connect_failed(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0;
}

static void watch(int op, int fd, uint32_t events, uint64_t data) {
  struct epoll_event ev = {.events = events, .data.u64 = data};
  epoll_ctl(ep, op, fd, &ev);
}

/* Opens `count` connections, at most CONNECTS_IN_FLIGHT pending at once; failed ones are -1. */
static int open_many(int *fds, int count) {
  struct epoll_event events[MAX_EVENTS];
  int next = 0, pending = 0, errors = 0;
  while (next < count || pending > 0) {
    while (next < count && pending < CONNECTS_IN_FLIGHT) {
      int fd = start_connect(0);
      fds[next] = fd;
      if (fd < 0) errors++;
      else {
        watch(EPOLL_CTL_ADD, fd, EPOLLOUT, (uint64_t)next);
        pending++;
      }
      next++;
    }
    int n = epoll_wait(ep, events, MAX_EVENTS, 5000);
    if (n <= 0) break;
    for (int i = 0; i < n; i++) {
      int idx = (int)events[i].data.u64;
      int fd = fds[idx];
      pending--;
      epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
      if (connect_failed(fd)) {
        close(fd);
        fds[idx] = -1;
        errors++;
      }
    }
  }
  return errors;
}

static double percentile(uint64_t total, double p) {
  uint64_t want = (uint64_t)(total * p);
  uint64_t seen = 0;
  for (int i = 0; i <= HIST_US; i++) {
    seen += hist[i];
    if (seen > want) return i;
  }
  return HIST_US;
}

static int rtt(int conns, double seconds, int msg_bytes) {
  int *fds = calloc(conns, sizeof *fds);
  double *sent_at = calloc(conns, sizeof *sent_at);
  int *got = calloc(conns, sizeof *got);
  char *msg = malloc(msg_bytes);
  memset(msg, 'x', msg_bytes);
  msg[msg_bytes - 1] = '\n';
  int errors = open_many(fds, conns);
  struct epoll_event events[MAX_EVENTS];
  double start = now_s(), deadline = start + seconds;
  for (int i = 0; i < conns; i++) {
    if (fds[i] < 0) continue;
    watch(EPOLL_CTL_ADD, fds[i], EPOLLIN, (uint64_t)i);
    sent_at[i] = now_s();
    if (write(fds[i], msg, msg_bytes) != msg_bytes) errors++;
  }
  uint64_t trips = 0;
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, 1000);
    double now = now_s();
    if (now >= deadline || n < 0) break;
    for (int e = 0; e < n; e++) {
      int i = (int)events[e].data.u64;
      ssize_t r = read(fds[i], scratch, sizeof scratch);
      if (r <= 0) {
        if (r < 0 && errno == EAGAIN) continue;
        errors++;
        epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
        continue;
      }
      got[i] += (int)r;
      if (got[i] < msg_bytes) continue;
      got[i] -= msg_bytes;
      trips++;
      double us = (now - sent_at[i]) * 1e6;
      hist[us < HIST_US ? (int)us : HIST_US]++;
      sent_at[i] = now;
      if (write(fds[i], msg, msg_bytes) != msg_bytes) errors++;
    }
  }
  double elapsed = deadline - start;
  printf("{\"scenario\":\"rtt\",\"roundTrips\":%llu,\"seconds\":%.4f,\"errors\":%d,\"p50us\":%.0f,\"p99us\":%.0f}\n",
         (unsigned long long)trips, elapsed, errors, percentile(trips, 0.5), percentile(trips, 0.99));
  return 0;
}

static int bulk(int conns, double seconds, int chunk_bytes) {
  int *fds = calloc(conns, sizeof *fds);
  uint64_t *sent = calloc(conns, sizeof *sent);
  uint64_t *received = calloc(conns, sizeof *received);
  char *chunk = malloc(chunk_bytes);
  for (int i = 0; i < chunk_bytes; i++) chunk[i] = (char)((i * 7919) % 251);
  int errors = open_many(fds, conns);
  struct epoll_event events[MAX_EVENTS];
  for (int i = 0; i < conns; i++)
    if (fds[i] >= 0) watch(EPOLL_CTL_ADD, fds[i], EPOLLIN | EPOLLOUT | EPOLLET, (uint64_t)i);
  double start = now_s(), deadline = start + seconds;
  uint64_t total = 0;
  for (;;) {
    int n = epoll_wait(ep, events, MAX_EVENTS, 1000);
    if (now_s() >= deadline || n < 0) break;
    for (int e = 0; e < n; e++) {
      int i = (int)events[e].data.u64;
      int fd = fds[i];
      for (;;) {
        ssize_t r = read(fd, scratch, sizeof scratch);
        if (r > 0) {
          received[i] += r;
          total += r;
          continue;
        }
        if (r == 0 || errno != EAGAIN) errors++;
        break;
      }
      /* Edge-triggered: write until the kernel or the window says stop; a read reopens the window. */
      while (sent[i] - received[i] < BULK_WINDOW) {
        uint64_t room = BULK_WINDOW - (sent[i] - received[i]);
        ssize_t w = write(fd, chunk, room < (uint64_t)chunk_bytes ? room : (uint64_t)chunk_bytes);
        if (w <= 0) break;
        sent[i] += w;
      }
    }
  }
  double elapsed = now_s() - start;
  printf("{\"scenario\":\"bulk\",\"bytes\":%llu,\"seconds\":%.4f,\"errors\":%d}\n", (unsigned long long)total,
         elapsed, errors);
  return 0;
}

enum { CONNECTING, AWAIT_ECHO, AWAIT_EOF };

struct slot {
  int fd;
  int state;
  int got;
};

static int churn(int concurrency, double seconds, long max_conns, int msg_bytes) {
  struct slot *slots = calloc(concurrency, sizeof *slots);
  char *msg = malloc(msg_bytes);
  memset(msg, 'c', msg_bytes);
  msg[msg_bytes - 1] = '\n';
  struct epoll_event events[MAX_EVENTS];
  long started = 0, completed = 0;
  int errors = 0, active = 0;
  double start = now_s(), deadline = start + seconds, last = start;
  for (int i = 0; i < concurrency; i++) slots[i].fd = -1;
  for (;;) {
    if (now_s() >= deadline) break;
    for (int i = 0; i < concurrency; i++) {
      if (slots[i].fd >= 0 || (max_conns > 0 && started >= max_conns)) continue;
      int fd = start_connect(1 + (int)(started % 64));
      started++;
      if (fd < 0) {
        if (++errors > 1000) goto done;
        continue;
      }
      slots[i] = (struct slot){.fd = fd, .state = CONNECTING, .got = 0};
      watch(EPOLL_CTL_ADD, fd, EPOLLOUT, (uint64_t)i);
      active++;
    }
    if (active == 0) break;
    int n = epoll_wait(ep, events, MAX_EVENTS, 100);
    if (n < 0) break;
    for (int e = 0; e < n; e++) {
      int i = (int)events[e].data.u64;
      struct slot *s = &slots[i];
      int failed = 0, finished = 0;
      if (s->state == CONNECTING) {
        if (connect_failed(s->fd) || write(s->fd, msg, msg_bytes) != msg_bytes) failed = 1;
        else {
          s->state = AWAIT_ECHO;
          watch(EPOLL_CTL_MOD, s->fd, EPOLLIN, (uint64_t)i);
        }
      } else {
        ssize_t r = read(s->fd, scratch, sizeof scratch);
        if (r < 0 && errno == EAGAIN) continue;
        if (r < 0) failed = 1;
        else if (r == 0) {
          if (s->state == AWAIT_EOF) finished = 1;
          else failed = 1;
        } else {
          s->got += (int)r;
          if (s->state == AWAIT_ECHO && s->got >= msg_bytes) {
            shutdown(s->fd, SHUT_WR);
            s->state = AWAIT_EOF;
          }
        }
      }
      if (!failed && !finished) continue;
      close(s->fd);
      s->fd = -1;
      active--;
      if (failed) errors++;
      else {
        completed++;
        last = now_s();
      }
    }
  }
done:;
  /* With a count, the rate runs to the last completion; connections still open at the deadline (a
     server that never closes them) are abandoned and reported as unfinished. */
  double elapsed = (max_conns > 0 ? last : deadline) - start;
  printf("{\"scenario\":\"churn\",\"connections\":%ld,\"seconds\":%.4f,\"errors\":%d,\"unfinished\":%d}\n",
         completed, elapsed, errors, active);
  return 0;
}

static int hold(int conns) {
  int *fds = calloc(conns, sizeof *fds);
  int errors = open_many(fds, conns);
  printf("{\"scenario\":\"hold\",\"connected\":%d,\"errors\":%d}\n", conns - errors, errors);
  fflush(stdout);
  char line[64];
  while (read(0, line, sizeof line) > 0) break;
  for (int i = 0; i < conns; i++)
    if (fds[i] >= 0) close(fds[i]);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: echo-load rtt|bulk|churn|hold <port> <conns> [...]\n");
    return 2;
  }
  const char *scenario = argv[1];
  port = atoi(argv[2]);
  int conns = atoi(argv[3]);
  /* A write to a connection the server has reset must fail with EPIPE (counted), not kill the load. */
  signal(SIGPIPE, SIG_IGN);
  ep = epoll_create1(0);
  if (!strcmp(scenario, "hold")) return hold(conns);
  if (argc < 6) return 2;
  double seconds = atof(argv[4]);
  if (!strcmp(scenario, "rtt")) return rtt(conns, seconds, atoi(argv[5]));
  if (!strcmp(scenario, "bulk")) return bulk(conns, seconds, atoi(argv[5]));
  if (!strcmp(scenario, "churn") && argc >= 7) return churn(conns, seconds, atol(argv[5]), atoi(argv[6]));
  fprintf(stderr, "unknown scenario %s\n", scenario);
  return 2;
}
