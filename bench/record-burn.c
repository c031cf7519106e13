/* A CPU-bound program for bench/record.sh: `record-burn SECONDS [THREADS]`
 * burns SECONDS of CPU in each of THREADS threads, then prints the CPU time
 * the process used, in seconds, on stderr.  `record-burn work N` does a fixed
 * amount of work instead (N calls of outer()) and prints how long it took,
 * wall time from its first call to its last, as "elapsed SECONDS": the
 * program's own slowdown, without the recorder's start and end. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile unsigned long sink;
static double seconds;

static double
cpu_now (clockid_t clock)
{
  struct timespec ts;
  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__ ((noinline)) static void
inner (long n)
{
  for (long i = 0; i < n; i++)
    sink += i ^ (i >> 3);
}

__attribute__ ((noinline)) static void
outer (void)
{
  inner (200000);
}

static void *
burn (void *unused)
{
  double start = cpu_now (CLOCK_THREAD_CPUTIME_ID);
  while (cpu_now (CLOCK_THREAD_CPUTIME_ID) - start < seconds)
    outer ();
  return NULL;
}

int
main (int argc, char **argv)
{
  if (argc > 2 && strcmp (argv[1], "work") == 0)
    {
      long n = atol (argv[2]);
      double start = cpu_now (CLOCK_MONOTONIC);
      for (long i = 0; i < n; i++)
        outer ();
      fprintf (stderr, "elapsed %.6f\n", cpu_now (CLOCK_MONOTONIC) - start);
      return 0;
    }
  seconds = argc > 1 ? atof (argv[1]) : 3;
  int threads = argc > 2 ? atoi (argv[2]) : 1;
  pthread_t t[64];
  for (int i = 1; i < threads && i < 64; i++)
    pthread_create (&t[i], NULL, burn, NULL);
  burn (NULL);
  for (int i = 1; i < threads && i < 64; i++)
    pthread_join (t[i], NULL);
  fprintf (stderr, "cpu %.6f\n", cpu_now (CLOCK_PROCESS_CPUTIME_ID));
  return 0;
}
