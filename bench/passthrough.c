/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark ceiling: a plain librdkafka consume-and-produce loop that
 * copies every record of the source topics to one sink topic unchanged,
 * with no parsing, and exits when every assigned partition reached its
 * end and every record was acknowledged. Uses the same client settings as
 * the bridge (consumer group, idempotent producer, acks=all, linger.ms=5,
 * murmur2_random) so the difference measures the bridge's own work.
 *
 * Usage: passthrough BROKERS GROUP SINK_TOPIC SOURCE_TOPIC...
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

static int64_t delivered;
static int64_t failed;
static int assigned;
static int eof_count;
static int partition_count;
/* From the first record consumed to the last delivery report, as the
 * bridge's busy_ms counts it. */
static int64_t first_record_ms;
static int64_t last_delivery_ms;

static int64_t monotonic_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
                        void *opaque)
{
        (void)rk;
        (void)opaque;
        last_delivery_ms = monotonic_ms();
        if (m->err)
                failed++;
        else
                delivered++;
}

static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
        (void)opaque;
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_assign(rk, parts);
                assigned = 1;
                partition_count = parts->cnt;
                eof_count = 0;
        } else {
                rd_kafka_assign(rk, NULL);
                partition_count = 0;
        }
}

static void set(rd_kafka_conf_t *conf, const char *name, const char *value)
{
        char err[256];
        if (rd_kafka_conf_set(conf, name, value, err, sizeof(err)) !=
            RD_KAFKA_CONF_OK) {
                fprintf(stderr, "passthrough: %s: %s\n", name, err);
                exit(2);
        }
}

static rd_kafka_t *new_client(rd_kafka_type_t type, const char *brokers,
                              const char *group)
{
        char err[256];
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        set(conf, "bootstrap.servers", brokers);
        if (type == RD_KAFKA_CONSUMER) {
                set(conf, "group.id", group);
                set(conf, "auto.offset.reset", "earliest");
                set(conf, "enable.auto.commit", "false");
                set(conf, "enable.partition.eof", "true");
                rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
        } else {
                set(conf, "enable.idempotence", "true");
                set(conf, "acks", "all");
                set(conf, "linger.ms", "5");
                set(conf, "partitioner", "murmur2_random");
                rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
        }
        rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof(err));
        if (!rk) {
                fprintf(stderr, "passthrough: %s\n", err);
                exit(2);
        }
        return rk;
}

static void copy_record(rd_kafka_t *producer, const char *sink,
                        const rd_kafka_message_t *m)
{
        for (;;) {
                rd_kafka_resp_err_t err = rd_kafka_producev(
                        producer, RD_KAFKA_V_TOPIC(sink),
                        RD_KAFKA_V_KEY(m->key, m->key_len),
                        RD_KAFKA_V_VALUE(m->payload, m->len),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                        RD_KAFKA_V_END);
                if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                        return;
                rd_kafka_poll(producer, 10);
        }
}

int main(int argc, char **argv)
{
        if (argc < 5) {
                fprintf(stderr, "usage: passthrough BROKERS GROUP SINK_TOPIC "
                                "SOURCE_TOPIC...\n");
                return 2;
        }
        rd_kafka_t *producer = new_client(RD_KAFKA_PRODUCER, argv[1], NULL);
        rd_kafka_t *consumer = new_client(RD_KAFKA_CONSUMER, argv[1],
                                          argv[2]);
        rd_kafka_poll_set_consumer(consumer);
        rd_kafka_topic_partition_list_t *topics =
                rd_kafka_topic_partition_list_new(argc - 4);
        for (int i = 4; i < argc; i++)
                rd_kafka_topic_partition_list_add(topics, argv[i],
                                                  RD_KAFKA_PARTITION_UA);
        rd_kafka_subscribe(consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);

        int64_t consumed = 0;
        while (!assigned || eof_count < partition_count) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
                rd_kafka_poll(producer, 0);
                if (!m)
                        continue;
                if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                        eof_count++;
                else if (!m->err) {
                        if (!consumed++)
                                first_record_ms = monotonic_ms();
                        copy_record(producer, argv[3], m);
                }
                rd_kafka_message_destroy(m);
        }
        rd_kafka_flush(producer, 60000);
        rd_kafka_commit(consumer, NULL, 0);
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        rd_kafka_destroy(producer);
        printf("consumed=%" PRId64 " delivered=%" PRId64 " failed=%" PRId64
               " busy_ms=%" PRId64 "\n",
               consumed, delivered, failed,
               consumed ? last_delivery_ms - first_record_ms : 0);
        return failed ? 1 : 0;
}
