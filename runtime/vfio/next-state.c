/*
 * The VFIO migration FSM: next arc of a combination transition.
 *
 * The FSM arcs a driver implements (include/uapi/linux/vfio.h):
 *
 *   always (VFIO_MIGRATION_STOP_COPY)
 *       STOP -> STOP_COPY        opens the saving session (new data fd)
 *       STOP_COPY -> STOP        ends it
 *       STOP -> RESUMING         opens the resuming session (new data fd)
 *       RESUMING -> STOP         ends it, the device validates the data
 *   with P2P                            without P2P
 *       RUNNING -> RUNNING_P2P              RUNNING -> STOP
 *       RUNNING_P2P -> RUNNING              STOP -> RUNNING
 *       RUNNING_P2P -> STOP
 *       STOP -> RUNNING_P2P
 *   with PRE_COPY
 *       RUNNING -> PRE_COPY      opens the saving session
 *       PRE_COPY -> RUNNING      ends it
 *   with PRE_COPY and P2P               with PRE_COPY, without P2P
 *       RUNNING_P2P -> PRE_COPY_P2P (opens) PRE_COPY -> STOP_COPY
 *       PRE_COPY_P2P -> RUNNING_P2P (ends)
 *       PRE_COPY -> PRE_COPY_P2P
 *       PRE_COPY_P2P -> PRE_COPY
 *       PRE_COPY_P2P -> STOP_COPY
 *
 * Every other (current, requested) pair is a combination transition: a
 * path of those arcs, chosen by
 *
 *   R1  the shortest path;
 *   R2  no saving-group state (PRE_COPY, PRE_COPY_P2P, STOP_COPY) inside
 *       the path, only at its ends;
 *   R3  STOP_COPY -> PRE_COPY and STOP_COPY -> PRE_COPY_P2P refused;
 *   R4  ERROR never requested, never left (only a reset leaves it);
 *   R5  unsupported optional states skipped: the table below is written
 *       for a device with every option; on a device without one, a step
 *       into a state it lacks is replaced by the step that state would
 *       take next, until a supported state (or ERROR) comes out.
 *
 * R1-R4 leave choices open (the order of P2P steps, moves inside the
 * saving group); the table takes Linux's (drivers/vfio/vfio_main.c,
 * vfio_mig_get_next_state()), so that the two agree for every flag value,
 * state pair and out-of-range input.  The R5 loop stops at ERROR, as
 * Linux does since its 2026 fix: before it, STOP_COPY -> PRE_COPY on a
 * PRE_COPY-capable device looped for ever, ERROR being "unsupported".
 */
#include <errno.h>
#include <stdint.h>

#include "qapi/vfio-fsm.h"

/* Short names for the table. */
enum {
    ERR = VFIO_REF_STATE_ERROR,
    STP = VFIO_REF_STATE_STOP,
    RUN = VFIO_REF_STATE_RUNNING,
    SCP = VFIO_REF_STATE_STOP_COPY,
    RES = VFIO_REF_STATE_RESUMING,
    RP2 = VFIO_REF_STATE_RUNNING_P2P,
    PCP = VFIO_REF_STATE_PRE_COPY,
    PP2 = VFIO_REF_STATE_PRE_COPY_P2P,
};

/*
 * next_step[cur][new]: the first arc of the path cur -> new on a device
 * with every option; cur itself when cur == new; ERR when there is none.
 * Columns in state order: ERR STP RUN SCP RES RP2 PCP PP2.
 */
static const uint8_t next_step[VFIO_REF_NUM_STATES][VFIO_REF_NUM_STATES] = {
    /* from ERROR: only a reset leaves it (R4) */
    [ERR] = {ERR, ERR, ERR, ERR, ERR, ERR, ERR, ERR},
    /* from STOP: RUNNING and the pre-copy states through RUNNING_P2P */
    [STP] = {ERR, STP, RP2, SCP, RES, RP2, RP2, RP2},
    /* from RUNNING: everything stopped through RUNNING_P2P */
    [RUN] = {ERR, RP2, RUN, RP2, RP2, RP2, PCP, RP2},
    /* from STOP_COPY: everything through STOP; pre-copy refused (R3) */
    [SCP] = {ERR, STP, STP, SCP, STP, STP, ERR, ERR},
    /* from RESUMING: everything through STOP */
    [RES] = {ERR, STP, STP, STP, RES, STP, STP, STP},
    /* from RUNNING_P2P */
    [RP2] = {ERR, STP, RUN, STP, STP, RP2, RUN, PP2},
    /* from PRE_COPY: leave the group through RUNNING (R2), or move in it */
    [PCP] = {ERR, RUN, RUN, PP2, RUN, RUN, PCP, PP2},
    /* from PRE_COPY_P2P: leave the group through RUNNING_P2P (R2) */
    [PP2] = {ERR, RP2, RP2, SCP, RP2, RP2, PCP, PP2},
};

/*
 * The flags a state needs.  ERROR "needs" every bit, so that it is never
 * supported (as a current or requested state) unless a device claimed
 * all 32 flag bits, exactly as in Linux.
 */
static const uint32_t state_flags[VFIO_REF_NUM_STATES] = {
    [ERR] = ~0u,
    [STP] = VFIO_REF_MIGRATION_STOP_COPY,
    [RUN] = VFIO_REF_MIGRATION_STOP_COPY,
    [SCP] = VFIO_REF_MIGRATION_STOP_COPY,
    [RES] = VFIO_REF_MIGRATION_STOP_COPY,
    [RP2] = VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_P2P,
    [PCP] = VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_PRE_COPY,
    [PP2] = VFIO_REF_MIGRATION_STOP_COPY | VFIO_REF_MIGRATION_P2P |
            VFIO_REF_MIGRATION_PRE_COPY,
};

static inline int has_state(uint32_t flags, uint32_t state)
{
    return (state_flags[state] & flags) == state_flags[state];
}

int vfio_ref_mig_get_next_state(uint32_t migration_flags, uint32_t cur,
                                uint32_t new_state, uint32_t *next)
{
    uint32_t step;

    if (!next || cur >= VFIO_REF_NUM_STATES ||
        !has_state(migration_flags, cur) || new_state >= VFIO_REF_NUM_STATES ||
        !has_state(migration_flags, new_state)) {
        return -EINVAL;
    }
    /* R5: skip unsupported optional states; stop at ERROR (R3, R4). */
    step = next_step[cur][new_state];
    while (step != ERR && !has_state(migration_flags, step)) {
        step = next_step[step][new_state];
    }
    *next = step;
    return step != ERR ? 0 : -EINVAL;
}

int vfio_ref_mig_get_path(uint32_t migration_flags, uint32_t cur,
                          uint32_t new_state, uint32_t *path, int max)
{
    int n = 0;

    if (max < 0 || (!path && max > 0)) {
        return -EINVAL;
    }
    while (cur != new_state) {
        uint32_t next;
        int ret =
            vfio_ref_mig_get_next_state(migration_flags, cur, new_state, &next);

        if (ret < 0) {
            return ret;
        }
        if (n >= VFIO_REF_NUM_STATES) {
            return -ELOOP; /* cannot happen: the table has no cycle */
        }
        if (n < max) {
            path[n] = next;
        }
        n++;
        cur = next;
    }
    /* Validity of the states when cur == new_state from the start. */
    if (n == 0) {
        uint32_t unused;

        return vfio_ref_mig_get_next_state(migration_flags, cur, new_state,
                                           &unused);
    }
    return n;
}

bool vfio_ref_mig_is_arc(uint32_t migration_flags, uint32_t from, uint32_t to)
{
    bool p2p = migration_flags & VFIO_REF_MIGRATION_P2P;
    bool pre = migration_flags & VFIO_REF_MIGRATION_PRE_COPY;

    if (from == to || !vfio_ref_state_supported(migration_flags, from) ||
        !vfio_ref_state_supported(migration_flags, to)) {
        return false;
    }
    /* The arcs listed at the top of this file, written out per state. */
    switch (from) {
    case STP:
        return to == SCP || to == RES || to == (p2p ? RP2 : RUN);
    case SCP:
    case RES:
        return to == STP;
    case RUN:
        return to == (p2p ? RP2 : STP) || (pre && to == PCP);
    case RP2:
        return to == RUN || to == STP || (pre && to == PP2);
    case PCP:
        return to == RUN || to == (p2p ? PP2 : SCP);
    case PP2:
        return to == PCP || to == RP2 || to == SCP;
    default:
        return false;
    }
}
