/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An in-process Kafka-protocol cluster on librdkafka's mock cluster, for
 * demos, tests and benchmarks. It serves on loopback from librdkafka's own
 * threads until stopped; its data lives in memory only.
 */
#ifndef CKB_EMBEDDED_H
#define CKB_EMBEDDED_H

#include <stddef.h>

struct embedded_kafka;

/* Starts a cluster of brokers (1..16). Returns NULL with a reason. */
struct embedded_kafka *embedded_kafka_start(int brokers, char *errstr,
                                            size_t errstr_size);
/* "127.0.0.1:PORT,..." owned by the cluster. */
const char *embedded_kafka_bootstraps(const struct embedded_kafka *ek);
/* Creates a topic with partitions (replication min(3, brokers)). */
int embedded_kafka_create_topic(struct embedded_kafka *ek, const char *topic,
                                int partitions, char *errstr,
                                size_t errstr_size);
/*
 * Takes every broker down (up = 0) or brings them back (up = 1): clients
 * see closed connections and refused requests, as in an outage, while the
 * data stays.
 */
void embedded_kafka_set_up(struct embedded_kafka *ek, int up);

/* Stops the cluster; its data is gone. NULL is a no-op. */
void embedded_kafka_stop(struct embedded_kafka *ek);

#endif
