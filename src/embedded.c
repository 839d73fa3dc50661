/* SPDX-License-Identifier: Apache-2.0 */
/* In-process Kafka cluster on librdkafka's mock cluster (see embedded.h). */
#include "embedded.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "alloc.h"
#include "log.h"

struct embedded_kafka {
        rd_kafka_t *host; /* the client instance whose threads serve it */
        rd_kafka_mock_cluster_t *mcluster;
        int brokers;
};

static void embedded_log(const rd_kafka_t *rk, int level, const char *fac,
                         const char *buf)
{
        (void)rk;
        if (level > LOG_LEVEL_DEBUG)
                level = LOG_LEVEL_DEBUG;
        if (level < LOG_LEVEL_ERR)
                level = LOG_LEVEL_ERR;
        log_msg(level, "EMBEDDED", "%s: %s", fac, buf);
}

struct embedded_kafka *embedded_kafka_start(int brokers, char *errstr,
                                            size_t errstr_size)
{
        if (brokers < 1 || brokers > 16) {
                snprintf(errstr, errstr_size,
                         "embedded kafka: %d brokers requested, use 1 to 16",
                         brokers);
                return NULL;
        }
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, embedded_log);
        char err[256];
        /* The host client never connects anywhere, so its warning about
         * a missing bootstrap.servers is noise. */
        rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
        rd_kafka_t *host = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err,
                                        sizeof(err));
        if (!host) {
                rd_kafka_conf_destroy(conf);
                snprintf(errstr, errstr_size, "embedded kafka: %s", err);
                return NULL;
        }
        rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(host,
                                                                 brokers);
        if (!mc) {
                rd_kafka_destroy(host);
                snprintf(errstr, errstr_size,
                         "embedded kafka: cannot start the mock cluster");
                return NULL;
        }
        struct embedded_kafka *ek = xcalloc(1, sizeof(*ek));
        ek->host = host;
        ek->mcluster = mc;
        ek->brokers = brokers;
        return ek;
}

const char *embedded_kafka_bootstraps(const struct embedded_kafka *ek)
{
        return rd_kafka_mock_cluster_bootstraps(ek->mcluster);
}

int embedded_kafka_create_topic(struct embedded_kafka *ek, const char *topic,
                                int partitions, char *errstr,
                                size_t errstr_size)
{
        int replicas = ek->brokers < 3 ? ek->brokers : 3;
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
                ek->mcluster, topic, partitions, replicas);
        if (err) {
                snprintf(errstr, errstr_size,
                         "embedded kafka: cannot create topic %s with %d "
                         "partitions: %s",
                         topic, partitions, rd_kafka_err2str(err));
                return -1;
        }
        return 0;
}

void embedded_kafka_set_up(struct embedded_kafka *ek, int up)
{
        /* The mock cluster numbers its brokers from 1. */
        for (int id = 1; id <= ek->brokers; id++) {
                if (up)
                        rd_kafka_mock_broker_set_up(ek->mcluster, id);
                else
                        rd_kafka_mock_broker_set_down(ek->mcluster, id);
        }
        log_msg(LOG_LEVEL_NOTICE, "EMBEDDED", "%d brokers %s", ek->brokers,
                up ? "up" : "down");
}

void embedded_kafka_stop(struct embedded_kafka *ek)
{
        if (!ek)
                return;
        rd_kafka_mock_cluster_destroy(ek->mcluster);
        rd_kafka_destroy(ek->host);
        free(ek);
}
