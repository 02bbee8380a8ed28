/*
 * qapi/vfio-fsm.h - the VFIO migration state machine: next arc of a
 * combination transition.
 *
 * A device implements single FSM arcs; a request from state CUR to state
 * NEW that is not an arc is a "combination transition", a path of arcs
 * chosen by these rules (include/uapi/linux/vfio.h):
 *
 *   - the shortest path;
 *   - no state of the saving group (PRE_COPY, PRE_COPY_P2P, STOP_COPY)
 *     inside the path, only at its ends;
 *   - arcs through optional states the device does not support are
 *     skipped (the device sees an arc from the state before to the state
 *     after);
 *   - STOP_COPY -> PRE_COPY and STOP_COPY -> PRE_COPY_P2P are refused;
 *   - ERROR is never a requested state, and nothing leaves it but a
 *     device reset.
 *
 * Where those rules leave a choice, the answer is what Linux's
 * vfio_mig_get_next_state() (drivers/vfio/vfio_main.c) returns, with the
 * fix that stops its skip loop at ERROR.
 *
 * NULL or malformed arguments: an error, never a crash (qapi/error.h,
 * "Arguments").
 */
#ifndef QAPI_VFIO_FSM_H
#define QAPI_VFIO_FSM_H

#include <stdint.h>

#include "qapi/vfio-uapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The next single arc from @cur towards @new_state on a device with
 * @migration_flags.  Returns 0 and stores the arc's end in *@next (@cur
 * itself when @cur == @new_state), or -EINVAL when there is no path:
 * either state out of range or not supported with @migration_flags
 * (*@next then untouched), or the path blocked (*@next then set to
 * VFIO_DEVICE_STATE_ERROR, as Linux does).
 *
 * Identical to Linux's function for every @migration_flags value, not
 * only the four combinations the uAPI defines.  Pure, thread-safe,
 * constant time.
 */
int vfio_ref_mig_get_next_state(uint32_t migration_flags, uint32_t cur,
                                uint32_t new_state, uint32_t *next);

/*
 * The whole path: stores up to @max states after @cur (the last one
 * @new_state) in @path and returns their number (0 when @cur ==
 * @new_state), or -EINVAL as above.  A path never has more than
 * VFIO_REF_NUM_STATES - 1 arcs.
 */
int vfio_ref_mig_get_path(uint32_t migration_flags, uint32_t cur,
                          uint32_t new_state, uint32_t *path, int max);

/*
 * True when @from -> @to is an FSM arc a driver implements on a device
 * with @migration_flags (both states supported, @from != @to): the arcs
 * the uAPI lists, with the P2P states and their arcs removed when P2P is
 * unsupported (RUNNING <-> STOP and PRE_COPY -> STOP_COPY then become
 * direct arcs) and every arc touching PRE_COPY or PRE_COPY_P2P removed
 * when PRE_COPY is unsupported.
 */
bool vfio_ref_mig_is_arc(uint32_t migration_flags, uint32_t from, uint32_t to);

#ifdef __cplusplus
}
#endif

#endif /* QAPI_VFIO_FSM_H */
