#pragma once
// What one operator instance contributes to a checkpoint, and what it gets back on restore.
//
// Three kinds of state, as in Flink:
// - operator state: a list of opaque items (a source's split positions, a sink's pending
//   transactions). When the parallelism changes, all items of all old instances are dealt out
//   round-robin to the new ones; at the same parallelism instance i gets back exactly its own.
// - keyed state: the keyed state backend's handle (canonical blocks or native files) plus
//   per-key-group blocks the operator keeps beside the backend (timers, join buffers). On
//   restore every instance gets the key groups of its own range, whoever wrote them.
// - in-flight data (unaligned checkpoints): batches that were inside channels when the barrier
//   overtook them; replayed into the operator before new input.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "glint/network/stream_element.h"
#include "glint/state/state_snapshot.h"

namespace glint {

struct InFlightBatch {
  int channel = 0;  // index of the task's input channel (same job graph and parallelism)
  int input = 0;    // operator input (0, or 1 for the second input of a two-input operator)
  Batch batch;
};

struct OperatorSnapshot {
  std::string uid;
  int subtask = 0;
  int parallelism = 1;
  std::vector<std::string> operatorState;
  // Synchronous part done; the runtime runs it on the checkpoint I/O thread.
  std::unique_ptr<KeyedStateSnapshotTask> keyedTask;
  bool hasKeyedState = false;
  KeyedStateHandle keyedHandle;                 // filled from keyedTask
  std::vector<KeyGroupBlock> keyedOperatorData;  // timers and the like, per key group
  std::vector<InFlightBatch> inFlight;          // head operator of a task only
};

struct OperatorRestoreState {
  bool restored = false;
  int64_t checkpointId = 0;
  std::filesystem::path checkpointRoot;  // where native keyed-state files are relative to
  std::vector<std::string> operatorState;
  std::vector<KeyedStateHandle> keyedHandles;
  std::vector<KeyGroupBlock> keyedOperatorData;  // only key groups of this instance's range
  std::vector<InFlightBatch> inFlight;
};

}  // namespace glint
