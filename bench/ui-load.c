/*
 * The UI benchmark's load in C (bench/ui-load-generator.ts is the same plan in Node, used where this
 * does not build). The UI benchmark shares two cores between the host, Chromium and this generator:
 * the Node one took about a fifth of them to drive 14k lines/s, CPU the product under test then lacked.
 * One thread, epoll, 127.0.0.1 only.
 *
 *   ui-load <port> <connections> <seconds> <linesPerSecond> <churnPerSecond> <maxInFlight>
 *
 * Opens the connections (500 connects at a time) and says `opened`; on `burst` sends short lines
 * round-robin at the total rate, one in flight per connection and at most maxInFlight in all, while
 * closing (half-close, then close at the server's EOF) and replacing churnPerSecond connections; then
 * says `burst-done` and holds the rest idle. `tally` and `exit` as bench/ui-bench-protocol.ts says.
 * Requests arrive as lines on stdin (EOF = exit); replies are JSON lines on stdout.
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
#define OPEN_BATCH 500
#define TICK_S 0.005
#define STDIN_TAG ((uint64_t)0)

static const char LINE[] = "load-generator-line\n";
#define LINE_LEN ((int)sizeof LINE - 1)

enum { CONNECTING, OPEN, CLOSING };

struct conn {
  int fd;
  int state;
  /* Echo bytes still awaited for the line in flight (0: none in flight). */
  int awaiting;
  /* Index in `live` while OPEN. */
  int index;
};

static int port, ep;
static struct conn **live;
static int live_count, live_cap;
static long opened, errors, bytes_echoed, lines_sent, bytes_sent, churned;
static int pending_opens, in_flight, bursting;
static char scratch[64 * 1024];
static uint64_t rng = 0x9e3779b97f4a7c15u;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static void push_live(struct conn *c) {
  if (live_count == live_cap) {
    live_cap = live_cap ? live_cap * 2 : 1024;
    live = realloc(live, live_cap * sizeof *live);
  }
  c->state = OPEN;
  c->index = live_count;
  live[live_count++] = c;
}

/* O(1): order does not matter, sends are round-robin anyway. */
static void remove_live(struct conn *c) {
  struct conn *last = live[--live_count];
  live[c->index] = last;
  last->index = c->index;
}

static void start_open(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001u)};
  if (fd < 0 || (connect(fd, (struct sockaddr *)&to, sizeof to) < 0 && errno != EINPROGRESS)) {
    if (fd >= 0) close(fd);
    errors++;
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct conn *c = calloc(1, sizeof *c);
  c->fd = fd;
  c->state = CONNECTING;
  struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  pending_opens++;
}

/* The connection is gone (churn finished, or the server stopped): a line still in flight never returns. */
static void drop(struct conn *c, int failed) {
  if (c->state == OPEN) remove_live(c);
  if (c->awaiting > 0) in_flight--;
  /* After the burst, the server's Stop resets connections: that is expected, not an error. */
  if (failed && bursting) errors++;
  close(c->fd);
  free(c);
}

static void on_ready(struct conn *c) {
  if (c->state == CONNECTING) {
    pending_opens--;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
      errors++;
      close(c->fd);
      free(c);
      return;
    }
    opened++;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    push_live(c);
    return;
  }
  for (;;) {
    ssize_t r = read(c->fd, scratch, sizeof scratch);
    if (r > 0) {
      bytes_echoed += r;
      if (c->awaiting > 0) {
        c->awaiting = r >= c->awaiting ? 0 : c->awaiting - (int)r;
        if (c->awaiting == 0) in_flight--;
      }
      continue;
    }
    if (r < 0 && errno == EAGAIN) return;
    /* EOF is the server closing (after our half-close, the churn's normal end); only a socket error
       counts, as the Node twin counts only 'error' events. */
    drop(c, r < 0);
    return;
  }
}

static void say_opened(double ms) {
  printf("{\"type\":\"opened\",\"connections\":%d,\"errors\":%ld,\"ms\":%.1f}\n", live_count, errors, ms);
  fflush(stdout);
}

static void say_tally(void) {
  printf("{\"type\":\"tally\",\"opened\":%ld,\"pending\":%d,\"errors\":%ld}\n", opened, pending_opens, errors);
  fflush(stdout);
}

static void say_burst_done(double seconds) {
  printf("{\"type\":\"burst-done\",\"opened\":%ld,\"closed\":%ld,\"linesSent\":%ld,\"bytesSent\":%ld,"
         "\"bytesEchoed\":%ld,\"errors\":%ld,\"seconds\":%.4f,\"holding\":%d}\n",
         opened, churned, lines_sent, bytes_sent, bytes_echoed, errors, seconds, live_count);
  fflush(stdout);
}

static char request_buf[256];
static size_t request_len;

/* The first letter of the oldest whole request line (burst, tally, exit), or 0 when none is whole. */
static int take_request(void) {
  char *nl = memchr(request_buf, '\n', request_len);
  if (!nl) {
    if (request_len >= sizeof request_buf) request_len = 0; /* an overlong line is dropped */
    return 0;
  }
  int request = nl == request_buf ? 0 : request_buf[0];
  size_t used = nl + 1 - request_buf;
  memmove(request_buf, nl + 1, request_len - used);
  request_len -= used;
  return request;
}

/* Handles what is ready, waiting at most `timeout_ms`; returns a request from stdin ('x' at its EOF:
   the benchmark is gone, and this must not outlive it), or 0. */
static int poll_once(int timeout_ms) {
  int request = take_request();
  if (request) return request;
  struct epoll_event events[MAX_EVENTS];
  int n = epoll_wait(ep, events, MAX_EVENTS, timeout_ms);
  for (int i = 0; i < n; i++) {
    if (events[i].data.u64 != STDIN_TAG) {
      on_ready(events[i].data.ptr);
      continue;
    }
    ssize_t r = read(0, request_buf + request_len, sizeof request_buf - request_len);
    if (r <= 0) return 'x';
    request_len += r;
  }
  return take_request();
}

static void open_initial(int connections) {
  double started = now_s();
  for (int done = 0; done < connections; done += OPEN_BATCH) {
    int batch = connections - done < OPEN_BATCH ? connections - done : OPEN_BATCH;
    for (int i = 0; i < batch; i++) start_open();
    while (pending_opens > 0)
      if (poll_once(5000) == 'x') exit(0);
  }
  say_opened((now_s() - started) * 1000);
}

static void tick(double elapsed, double lines_per_s, double churn_per_s, int max_in_flight, double *budget,
                 double *last_tick, int *cursor) {
  /* Closed by the client: the server reads EOF, its task completes and its socket closes. Each one
     closed is replaced at once; with too many connects in flight, churn waits (bounded). */
  for (; churned < (long)(churn_per_s * elapsed) && live_count > 0; churned++) {
    if (pending_opens >= OPEN_BATCH) break;
    struct conn *c = live[next_random() % live_count];
    remove_live(c);
    c->state = CLOSING;
    shutdown(c->fd, SHUT_WR);
    start_open();
  }
  /* Lines not sent in time (their connections were still waiting) are forgiven after 50 ms. */
  *budget += lines_per_s * (elapsed - *last_tick);
  if (*budget > lines_per_s * 0.05) *budget = lines_per_s * 0.05;
  *last_tick = elapsed;
  long owed = (long)*budget;
  *budget -= owed;
  for (long tries = live_count < owed * 4 + 64 ? live_count : owed * 4 + 64; owed > 0 && tries > 0 && live_count > 0;
       tries--) {
    if (*cursor >= live_count) *cursor = 0;
    struct conn *c = live[(*cursor)++];
    /* Closed loop per connection: a line goes out once the previous one came back, so an overloaded
       server slows the generator instead of piling up unread data. */
    if (c->awaiting > 0) continue;
    if (in_flight >= max_in_flight) break;
    if (write(c->fd, LINE, LINE_LEN) != LINE_LEN) {
      errors++;
      continue;
    }
    c->awaiting = LINE_LEN;
    in_flight++;
    lines_sent++;
    bytes_sent += LINE_LEN;
    owed--;
  }
  *budget += owed;
}

static void burst(double seconds, double lines_per_s, double churn_per_s, int max_in_flight) {
  bursting = 1;
  double budget = 0, last_tick = 0, started = now_s(), next_tick = started;
  int cursor = 0;
  for (;;) {
    double now = now_s();
    if (now >= next_tick) {
      double elapsed = now - started;
      if (elapsed >= seconds) break;
      tick(elapsed, lines_per_s, churn_per_s, max_in_flight, &budget, &last_tick, &cursor);
      next_tick = now + TICK_S;
    }
    int wait_ms = (int)((next_tick - now_s()) * 1000) + 1;
    int request = poll_once(wait_ms < 0 ? 0 : wait_ms);
    if (request == 'x' || request == 'e') exit(0);
  }
  double elapsed = now_s() - started;
  /* Let the last churn connects finish so `opened` counts every connection the server will accept. */
  for (double until = now_s() + 2; pending_opens > 0 && now_s() < until;) {
    int request = poll_once(10);
    if (request == 'x' || request == 'e') exit(0);
  }
  bursting = 0;
  say_burst_done(elapsed);
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: ui-load <port> <connections> <seconds> <linesPerSecond> <churnPerSecond> <maxInFlight>\n");
    return 2;
  }
  port = atoi(argv[1]);
  int connections = atoi(argv[2]);
  double seconds = atof(argv[3]), lines_per_s = atof(argv[4]), churn_per_s = atof(argv[5]);
  int max_in_flight = atoi(argv[6]);
  if (max_in_flight <= 0) max_in_flight = 1 << 30;
  /* A write to a connection the server has reset must fail with EPIPE (counted), not kill the load. */
  signal(SIGPIPE, SIG_IGN);
  ep = epoll_create1(0);
  struct epoll_event in = {.events = EPOLLIN, .data.u64 = STDIN_TAG};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &in);
  open_initial(connections);
  for (;;) {
    int request = poll_once(1000);
    if (request == 'b') burst(seconds, lines_per_s, churn_per_s, max_in_flight);
    else if (request == 't') say_tally();
    else if (request == 'x' || request == 'e') break;
  }
  for (int i = 0; i < live_count; i++) close(live[i]->fd);
  return 0;
}
