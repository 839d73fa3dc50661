/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by cfg.c, cfg_file.c and cfg_settings.c; not for other
 * modules.
 */
#ifndef CKB_CFG_INTERNAL_H
#define CKB_CFG_INTERNAL_H

#include <libconfig.h>
#include <stddef.h>

#include "cfg.h"

#define CFG_COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Kafka's maximum topic name length. */
#define CFG_TOPIC_NAME_MAX 249

/* Sets name to a copy of value, replacing an earlier value of that name. */
void cfg_properties_set(struct cfg_properties *props, const char *name,
                        const char *value);

/*
 * Checks that name may be set as a librdkafka property. Returns 0, or -1
 * with "NAME cannot be ... (why)" in errstr.
 */
int cfg_check_property_name(const char *name, char *errstr, size_t errstr_size);

/*
 * Checks that every character of text may appear in a topic name. Returns
 * 0, or -1 with the first bad character in errstr.
 */
int cfg_check_topic_chars(const char *text, char *errstr, size_t errstr_size);

/* Returns the transactional id used when none is configured; the caller
 * frees it. */
char *cfg_default_transactional_id(const char *group_id);

/* The state of one cfg_load_file() call. */
struct cfg_loader {
        struct cfg *cfg;
        const char *path; /* the file as the caller named it */
        char *dir;        /* its directory with a trailing '/', or NULL */
        int transactional_id_set;
        char *errstr;
        size_t errstr_size;
};

/* A setting of a group and the function that reads it. */
struct cfg_field {
        const char *name;
        int (*read)(struct cfg_loader *loader, const config_setting_t *setting);
};

/*
 * The typed readers below (cfg_file.c) return 0, or -1 with
 * "FILE:LINE: SETTING: problem (accepted values)" in the loader's errstr.
 * Strings they return are borrowed from the libconfig tree.
 */

/* Writes "FILE:LINE: SETTING: " and the formatted problem; returns -1. */
int cfg_fail(struct cfg_loader *loader, const config_setting_t *setting,
             const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "a string", "an integer", ... for messages. */
const char *cfg_type_name(const config_setting_t *setting);
int cfg_is_list_or_array(const config_setting_t *setting);
/* Resolves a relative path against the configuration file's directory;
 * the caller frees the result. */
char *cfg_resolve_path(const struct cfg_loader *loader, const char *path);

int cfg_read_string(struct cfg_loader *loader, const config_setting_t *setting,
                    const char **out);
int cfg_read_nonempty_string(struct cfg_loader *loader,
                             const config_setting_t *setting, const char **out);
/* Reads an integer from min to max; unit ("ms", "bytes" or "") is only
 * for the message. */
int cfg_read_integer(struct cfg_loader *loader, const config_setting_t *setting,
                     long long min, long long max, const char *unit,
                     long long *out);
int cfg_read_bool(struct cfg_loader *loader, const config_setting_t *setting,
                  int *out);
/* Reads a string that must be one of choices; sets *index to its place. */
int cfg_read_choice(struct cfg_loader *loader, const config_setting_t *setting,
                    const char *const *choices, size_t count, size_t *index);
/* Reads a string that must be a valid Kafka topic name. */
int cfg_read_topic(struct cfg_loader *loader, const config_setting_t *setting,
                   const char **out);
/* Reads a group whose members must all be among fields, in file order. */
int cfg_read_fields(struct cfg_loader *loader, const config_setting_t *group,
                    const struct cfg_field *fields, size_t count);
/* Reads a group of exactly the settings names[0] and names[1], as in
 * sink.channels and source.adapters, and stores them in members. */
int cfg_read_string_pair(struct cfg_loader *loader,
                         const config_setting_t *group,
                         const char *const names[2],
                         const config_setting_t *members[2]);

/* Reads the top-level settings (cfg_settings.c). */
int cfg_read_root(struct cfg_loader *loader, const config_setting_t *root);

#endif
