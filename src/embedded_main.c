/* SPDX-License-Identifier: Apache-2.0 */
/*
 * embedded-kafka: runs a mock Kafka cluster until SIGINT or SIGTERM, so
 * tests and demos can stop and restart the bridge while the broker and its
 * data live on. Prints the bootstrap servers as the first stdout line.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "embedded.h"
#include "log.h"

static volatile sig_atomic_t embedded_stop;
static volatile sig_atomic_t embedded_outage; /* 1 down, 2 up, 0 done */

static void embedded_on_signal(int sig)
{
        if (sig == SIGUSR1)
                embedded_outage = 1;
        else if (sig == SIGUSR2)
                embedded_outage = 2;
        else
                embedded_stop = 1;
}

static void embedded_usage(FILE *out)
{
        fprintf(out,
                "Usage: embedded-kafka [-n BROKERS] [-t TOPIC:PARTITIONS]...\n"
                "Runs an in-process Kafka-protocol cluster (librdkafka's mock "
                "cluster)\n"
                "on loopback until SIGINT or SIGTERM. The first stdout line "
                "is the\n"
                "bootstrap server list.\n"
                "  -n BROKERS           brokers, 1 to 16 (default 1)\n"
                "  -t TOPIC:PARTITIONS  create a topic up front "
                "(repeatable)\n"
                "  -h                   this help\n"
                "SIGUSR1 takes every broker down (an outage), SIGUSR2 "
                "brings them back.\n"
                "Data is kept in memory only; each partition keeps at most "
                "about 5 MB or\n"
                "100,000 records, older ones are deleted.\n");
}

static int embedded_parse_topic(const char *arg, char *topic,
                                size_t topic_size, int *partitions)
{
        const char *colon = strrchr(arg, ':');
        if (!colon || colon == arg || (size_t)(colon - arg) >= topic_size)
                return -1;
        char *end;
        long n = strtol(colon + 1, &end, 10);
        if (*end || n < 1 || n > 10000)
                return -1;
        memcpy(topic, arg, (size_t)(colon - arg));
        topic[colon - arg] = '\0';
        *partitions = (int)n;
        return 0;
}

int main(int argc, char **argv)
{
        int brokers = 1;
        const char *topics[256];
        int topic_count = 0;
        int c;
        while ((c = getopt(argc, argv, "n:t:h")) != -1) {
                switch (c) {
                case 'n':
                        brokers = atoi(optarg);
                        break;
                case 't':
                        if (topic_count == 256) {
                                fprintf(stderr, "embedded-kafka: at most "
                                                "256 -t options\n");
                                return 2;
                        }
                        topics[topic_count++] = optarg;
                        break;
                case 'h':
                        embedded_usage(stdout);
                        return 0;
                default:
                        embedded_usage(stderr);
                        return 2;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "embedded-kafka: unexpected argument %s\n",
                        argv[optind]);
                return 2;
        }
        char err[512];
        struct embedded_kafka *ek = embedded_kafka_start(brokers, err,
                                                         sizeof(err));
        if (!ek) {
                fprintf(stderr, "%s\n", err);
                return 2;
        }
        for (int i = 0; i < topic_count; i++) {
                char topic[256];
                int partitions;
                if (embedded_parse_topic(topics[i], topic, sizeof(topic),
                                         &partitions) != 0) {
                        fprintf(stderr,
                                "embedded-kafka: -t %s: expected "
                                "TOPIC:PARTITIONS with 1 to 10000 "
                                "partitions\n",
                                topics[i]);
                        embedded_kafka_stop(ek);
                        return 2;
                }
                if (embedded_kafka_create_topic(ek, topic, partitions, err,
                                                sizeof(err)) != 0) {
                        fprintf(stderr, "%s\n", err);
                        embedded_kafka_stop(ek);
                        return 2;
                }
        }
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = embedded_on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGUSR2, &sa, NULL);
        printf("%s\n", embedded_kafka_bootstraps(ek));
        fflush(stdout);
        while (!embedded_stop) {
                usleep(100 * 1000);
                if (embedded_outage) {
                        embedded_kafka_set_up(ek, embedded_outage == 2);
                        embedded_outage = 0;
                }
        }
        embedded_kafka_stop(ek);
        return 0;
}
