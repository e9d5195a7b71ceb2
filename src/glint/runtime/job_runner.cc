#include "glint/runtime/job_runner.h"

#include "glint/state/state_backend.h"

#include <random>
#include <thread>

namespace glint {

namespace {
// 12 hex digits from a random device: distinct across processes and restarts.
std::string newAttemptId() {
  std::random_device rd;
  const uint64_t bits = (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ static_cast<uint64_t>(monotonicNanos());
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(bits));
  return std::string(hex, 12);
}
}  // namespace

std::string StreamGraph::describe() const {
  std::string s;
  for (const auto& n : nodes_) {
    s += "[" + std::to_string(n.id) + "] " + n.name + " (parallelism " +
         std::to_string(n.parallelism) + ")";
    for (const auto& e : edges_) {
      if (e.to != n.id) continue;
      s += " <- [" + std::to_string(e.from) + "]";
      if (e.fromOutput) s += ".side" + std::to_string(e.fromOutput);
      s += " " + std::string(partitioningName(e.partitioning));
      if (e.toInput) s += " (input 2)";
    }
    s += "\n";
  }
  return s;
}

struct JobHandle::Attempt {
  std::string id = newAttemptId();
  std::vector<std::unique_ptr<StreamTask>> tasks;
  std::unique_ptr<TaskExecutor> executor;
  std::unique_ptr<CheckpointIoExecutor> io;
  std::unique_ptr<CheckpointCoordinator> coordinator;
  int running = 0;
  bool failed = false;
  std::string failure;
  int64_t restoredFrom = 0;

  // Stops everything in an order that leaves nothing running: tasks, then the coordinator
  // (no new checkpoints or notifications), then the snapshot writer (finishes its queue).
  ~Attempt() {
    if (executor) executor->shutdown();
    if (coordinator) coordinator->stop();
    io.reset();
  }
};

Result<std::unique_ptr<JobHandle>> JobHandle::start(const StreamGraph& graph,
                                                    const JobConfig& config) {
  std::unique_ptr<JobHandle> job(new JobHandle());
  job->graph_ = graph;
  job->config_ = config;
  auto cp = CheckpointOptions::fromConfig(config);
  if (!cp.isOk()) return cp.status();
  // Configuration mistakes fail the start, instead of every attempt of a restarting job.
  auto backend = StateBackendOptions::fromConfig(config.options);
  if (!backend.isOk()) return backend.status();
  job->checkpointOptions_ = std::move(*cp);
  auto rs = RestartStrategyOptions::fromConfig(config, job->checkpointOptions_.enabled());
  if (!rs.isOk()) return rs.status();
  job->restartStrategy_ = std::make_unique<RestartStrategy>(*rs);
  std::unique_ptr<StateAssignment> restore;
  if (!job->checkpointOptions_.restorePath.empty()) {
    auto r = job->loadRestoreState(job->checkpointOptions_.restorePath);
    if (!r.isOk()) return r.status();
    restore = std::move(*r);
  }
  auto attempt = job->buildAttempt(restore.get());
  if (!attempt.isOk()) return attempt.status();
  job->attempt_ = std::move(*attempt);
  job->lastRestoredFrom_ = job->attempt_->restoredFrom;
  Attempt* a = job->attempt_.get();
  if (a->coordinator) GLINT_RETURN_IF_ERROR(a->coordinator->start());
  a->running = static_cast<int>(a->tasks.size());
  for (auto& t : a->tasks) t->wake();
  job->supervisor_ = std::thread([j = job.get()] { j->supervise(); });
  return job;
}

Result<std::unique_ptr<StateAssignment>> JobHandle::loadRestoreState(const std::string& path) {
  auto checkpoint = loadCheckpoint(path);
  if (!checkpoint.isOk()) return checkpoint.status();
  auto assignment = StateAssignment::create(std::move(*checkpoint), graph_, config_.maxParallelism,
                                            checkpointOptions_.ignoreUnclaimedState);
  if (!assignment.isOk()) return assignment.status();
  return std::make_unique<StateAssignment>(std::move(*assignment));
}

JobHandle::~JobHandle() {
  if (!supervisor_.joinable()) return;  // start() failed before anything ran
  cancel();
  wait().isOk();
  supervisor_.join();
}

void JobHandle::supervise() {
  while (true) {
    std::unique_ptr<Attempt> ended;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return attempt_->running == 0; });
      ended = std::move(attempt_);
    }
    const bool failed = ended->failed;
    const std::string failure = ended->failure;
    if (ended->coordinator) {
      CheckpointStats s = ended->coordinator->stats();
      pastStats_.completed += s.completed;
      pastStats_.failed += s.failed;
      if (s.lastCompletedId) {
        pastStats_.lastCompletedId = s.lastCompletedId;
        pastStats_.lastDurationMillis = s.lastDurationMillis;
        pastStats_.lastBytesWritten = s.lastBytesWritten;
        pastStats_.lastStateSize = s.lastStateSize;
      }
    }
    ended.reset();
    std::unique_lock<std::mutex> lock(mu_);
    if (!failed || cancelled_) {
      if (failed && !stoppedWithSavepoint_) failure_ = failure;
      finished_ = true;
      cv_.notify_all();
      return;
    }
    const int64_t delay = restartStrategy_->onFailure(
        wallClockMillis(), static_cast<uint64_t>(monotonicNanos()) * 0x9e3779b97f4a7c15ULL);
    if (delay < 0) {
      failure_ = failure;
      finished_ = true;
      cv_.notify_all();
      return;
    }
    cv_.wait_for(lock, std::chrono::milliseconds(delay), [&] { return cancelled_; });
    if (cancelled_) {
      finished_ = true;
      cv_.notify_all();
      return;
    }
    lock.unlock();
    // Restore from the newest complete checkpoint; before the first one, from where the job
    // started (its savepoint, or nothing).
    std::unique_ptr<StateAssignment> restore;
    std::string restoreError;
    std::string path;
    if (checkpointOptions_.enabled() &&
        !CheckpointStorage(checkpointOptions_.directory).completedCheckpoints().empty())
      path = checkpointOptions_.directory.string();
    else
      path = checkpointOptions_.restorePath;
    if (!path.empty()) {
      auto r = loadRestoreState(path);
      if (r.isOk())
        restore = std::move(*r);
      else
        restoreError = r.status().message();
    }
    Result<std::unique_ptr<Attempt>> next =
        restoreError.empty() ? buildAttempt(restore.get())
                             : Result<std::unique_ptr<Attempt>>(Status::internal(restoreError));
    Status started = next.isOk() ? Status::ok() : next.status();
    if (next.isOk() && (*next)->coordinator) started = (*next)->coordinator->start();
    lock.lock();
    if (!started.isOk()) {
      failure_ = failure + "; restarting failed: " + started.message();
      finished_ = true;
      cv_.notify_all();
      return;
    }
    ++restarts_;
    lastRestartCause_ = failure;
    attempt_ = std::move(*next);
    lastRestoredFrom_ = attempt_->restoredFrom;
    attempt_->running = static_cast<int>(attempt_->tasks.size());
    for (auto& t : attempt_->tasks) t->wake();
  }
}

Result<std::unique_ptr<JobHandle::Attempt>> JobHandle::buildAttempt(const StateAssignment* restore) {
  const StreamGraph& graph = graph_;
  const JobConfig& config = config_;
  auto attemptOwner = std::make_unique<Attempt>();
  Attempt* attempt = attemptOwner.get();
  std::string physicalPlan;
  const auto& nodes = graph.nodes();
  const size_t n = nodes.size();
  if (n == 0) return Status::invalidArgument("the job has no operators");
  std::vector<std::vector<const StreamEdge*>> in(n), out(n);
  for (const auto& e : graph.edges()) {
    out[e.from].push_back(&e);
    in[e.to].push_back(&e);
  }
  for (const auto& node : nodes) {
    if (node.parallelism < 1 || node.parallelism > config.maxParallelism)
      return Status::invalidArgument("operator '" + node.name + "': parallelism " +
                                     std::to_string(node.parallelism) +
                                     " must be between 1 and pipeline.max-parallelism (" +
                                     std::to_string(config.maxParallelism) + ")");
    if (!node.isSource && in[node.id].empty())
      return Status::invalidArgument("operator '" + node.name + "' has no input");
  }
  // An operator joins its producer's task when it reads nothing else, forward, at the same
  // parallelism. A producer may have several such consumers (a reused source feeding two
  // branches): the chain is then a tree, and each consumer gets the batches without a channel.
  auto chainable = [&](const StreamEdge* e) {
    const StreamNode& a = nodes[e->from];
    const StreamNode& b = nodes[e->to];
    return e->partitioning == Partitioning::kForward && e->fromOutput == 0 &&
           a.parallelism == b.parallelism && in[b.id].size() == 1 && b.numInputs == 1 &&
           !b.isSource;
  };
  // Chains: start at every node that is not chained to its input, follow chainable edges
  // breadth-first, so that a producer precedes its consumers in the chain.
  std::vector<int> chainOf(n, -1), positionInChain(n, 0);
  std::vector<std::vector<int>> chains;
  for (const auto& node : nodes) {
    if (in[node.id].size() == 1 && chainable(in[node.id][0])) continue;
    std::vector<int> chain{node.id};
    for (size_t next = 0; next < chain.size(); ++next)
      for (auto* e : out[chain[next]])
        if (chainable(e)) chain.push_back(e->to);
    for (size_t i = 0; i < chain.size(); ++i) {
      chainOf[chain[i]] = static_cast<int>(chains.size());
      positionInChain[chain[i]] = static_cast<int>(i);
    }
    chains.push_back(std::move(chain));
  }
  for (size_t i = 0; i < n; ++i)
    if (chainOf[i] < 0)
      return Status::invalidArgument("operator '" + nodes[i].name + "' is part of a cycle");

  // Tasks: one per chain and subtask.
  std::vector<std::vector<StreamTask*>> tasksOfChain(chains.size());
  for (size_t c = 0; c < chains.size(); ++c) {
    const StreamNode& head = nodes[chains[c][0]];
    std::string chainName;
    for (int id : chains[c]) chainName += (chainName.empty() ? "" : " -> ") + nodes[id].name;
    physicalPlan += "task " + std::to_string(c) + ": " + chainName + " x" +
                     std::to_string(head.parallelism) + "\n";
    for (int s = 0; s < head.parallelism; ++s) {
      auto task = std::make_unique<StreamTask>(
          chainName + " (" + std::to_string(s + 1) + "/" + std::to_string(head.parallelism) + ")",
          &metrics_, [this, attempt](const std::string& m) { onTaskFailed(attempt, m); },
          [this, attempt] { onTaskFinished(attempt); });
      for (int id : chains[c]) {
        const StreamNode& node = nodes[id];
        OperatorContext ctx;
        ctx.name = node.name;
        ctx.uid = node.uid;
        ctx.subtaskIndex = s;
        ctx.parallelism = node.parallelism;
        ctx.maxParallelism = config.maxParallelism;
        ctx.keyGroups = keyGroupRangeForSubtask(config.maxParallelism, node.parallelism, s);
        ctx.config = config;
        ctx.checkpointing = checkpointOptions_.enabled();
        ctx.attemptId = attempt->id;
        ctx.sideOutputNames = node.sideOutputNames;
        auto op = node.factory();
        if (!op) return Status::internal("operator '" + node.name + "' has no implementation");
        const KeyGroupRange keyGroups = ctx.keyGroups;
        const int parent = id == chains[c][0] ? -1 : positionInChain[in[id][0]->from];
        task->addOperator(std::move(op), std::move(ctx), parent);
        OperatorRestoreState state;
        if (restore) state = restore->stateFor(node.uid, s, node.parallelism, keyGroups);
        task->restoreState(task->chain().size() - 1, std::move(state));
      }
      tasksOfChain[c].push_back(task.get());
      attempt->tasks.push_back(std::move(task));
    }
  }

  // Channels for every edge that is not inside a chain.
  PartitionWriterOptions base;
  base.maxParallelism = config.maxParallelism;
  base.batchSize = config.batchSize;
  base.bufferTimeoutNanos = config.bufferTimeoutMillis * 1'000'000;
  for (const auto& e : graph.edges()) {
    if (chainable(&e)) continue;
    const StreamNode& from = nodes[e.from];
    const StreamNode& to = nodes[e.to];
    auto& producers = tasksOfChain[chainOf[e.from]];
    auto& consumers = tasksOfChain[chainOf[e.to]];
    if (positionInChain[e.to] != 0) return Status::internal("edge into the middle of a chain");
    Partitioning p = e.partitioning;
    if (p == Partitioning::kForward && from.parallelism != to.parallelism)
      p = Partitioning::kRebalance;
    if (p == Partitioning::kGlobal && to.parallelism != 1)
      return Status::invalidArgument("operator '" + to.name +
                                     "' reads a global stream and must have parallelism 1");
    SchemaPtr schema =
        e.fromOutput == 0 ? from.outputSchema : from.sideOutputSchemas.at(e.fromOutput - 1);
    physicalPlan += "  " + from.name +
                     (e.fromOutput ? ".side" + std::to_string(e.fromOutput) : "") + " -> " +
                     to.name + ": " + std::string(partitioningName(p)) + "\n";
    for (size_t i = 0; i < producers.size(); ++i) {
      std::vector<std::shared_ptr<Channel>> channels;
      auto connect = [&](size_t j) {
        auto ch = std::make_shared<Channel>(config.channelCapacity);
        ch->connect(producers[i], consumers[j]);
        consumers[j]->addInput(ch, e.toInput);
        channels.push_back(ch);
      };
      if (p == Partitioning::kForward)
        connect(i);
      else if (p == Partitioning::kGlobal)
        connect(0);
      else
        for (size_t j = 0; j < consumers.size(); ++j) connect(j);
      PartitionWriterOptions options = base;
      options.partitioning = p;
      options.keyColumns = e.keyColumns;
      auto* writer = producers[i]->addWriter(
          std::make_unique<PartitionWriter>(options, schema, std::move(channels)));
      producers[i]->outputOf(positionInChain[e.from])->addWriter(e.fromOutput, writer);
    }
  }
  int threads =
      config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  attempt->executor = std::make_unique<TaskExecutor>(std::max(1, threads));
  for (auto& t : attempt->tasks) t->attachTo(attempt->executor.get());

  if (checkpointOptions_.enabled()) {
    CheckpointCoordinator::Hooks hooks;
    hooks.trigger = [attempt](const CheckpointBarrier& b) {
      for (auto& t : attempt->tasks) t->offerCheckpoint(b);
    };
    hooks.notifyComplete = [attempt](int64_t id) {
      for (auto& t : attempt->tasks) t->offerNotification(id, true);
    };
    hooks.notifyAborted = [attempt](int64_t id) {
      for (auto& t : attempt->tasks) t->offerNotification(id, false);
    };
    hooks.failJob = [this, attempt](const std::string& m) { onTaskFailed(attempt, m); };
    attempt->io = std::make_unique<CheckpointIoExecutor>();
    attempt->coordinator = std::make_unique<CheckpointCoordinator>(
        checkpointOptions_, static_cast<int>(attempt->tasks.size()), config.maxParallelism,
        std::move(hooks));
    for (size_t i = 0; i < attempt->tasks.size(); ++i)
      attempt->tasks[i]->enableCheckpointing(attempt->coordinator.get(), attempt->io.get(),
                                             checkpointOptions_.mode, static_cast<int>(i));
  }
  if (restore) attempt->restoredFrom = restore->checkpointId();
  if (physicalPlan_.empty()) physicalPlan_ = physicalPlan;
  numTasks_ = static_cast<int>(attempt->tasks.size());
  return attemptOwner;
}

void JobHandle::onTaskFinished(Attempt* attempt) {
  std::lock_guard<std::mutex> lock(mu_);
  if (--attempt->running == 0) cv_.notify_all();
}

void JobHandle::onTaskFailed(Attempt* attempt, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!attempt->failed) {
      attempt->failed = true;
      attempt->failure = message;
    }
  }
  cancelAttempt(attempt);
}

void JobHandle::cancelAttempt(Attempt* attempt) {
  for (auto& t : attempt->tasks) {
    t->cancel();
    t->wake();
  }
}

void JobHandle::cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  if (attempt_) cancelAttempt(attempt_.get());
  cv_.notify_all();
}

Status JobHandle::wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return finished_; });
  if (!failure_.empty()) return Status::internal("job failed: " + failure_);
  return Status::ok();
}

bool JobHandle::waitFor(int64_t millis) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(millis), [&] { return finished_; });
}

bool JobHandle::isDone() {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_;
}

Result<std::string> JobHandle::triggerSavepoint(const std::string& targetDir, bool stop,
                                                int64_t timeoutMillis) {
  CheckpointCoordinator* coordinator = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (attempt_) coordinator = attempt_->coordinator.get();
  }
  if (!coordinator)
    return Status::invalidArgument(
        "savepoints need checkpointing: set execution.checkpointing.interval and "
        "state.checkpoints.dir");
  // The attempt cannot go away meanwhile: the supervisor only replaces it after all its tasks
  // ended, and the coordinator's wait returns when the attempt stops it.
  auto path = coordinator->triggerSavepoint(targetDir, stop, timeoutMillis);
  if (path.isOk() && stop) {
    std::lock_guard<std::mutex> lock(mu_);
    stoppedWithSavepoint_ = true;
    cancelled_ = true;
    if (attempt_) cancelAttempt(attempt_.get());
  }
  return path;
}

Result<int64_t> JobHandle::triggerCheckpoint(int64_t timeoutMillis) {
  CheckpointCoordinator* coordinator = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (attempt_) coordinator = attempt_->coordinator.get();
  }
  if (!coordinator) return Status::invalidArgument("checkpointing is not enabled");
  const int64_t id = coordinator->triggerCheckpointNow();
  if (!coordinator->waitForCheckpoint(id, timeoutMillis)) {
    const std::string why = coordinator->failureOf(id);
    return Status::ioError("checkpoint " + std::to_string(id) + " did not complete" +
                           (why.empty() ? " in time" : ": " + why));
  }
  return id;
}

CheckpointStats JobHandle::checkpointStats() {
  std::lock_guard<std::mutex> lock(mu_);
  CheckpointStats s = pastStats_;
  if (attempt_ && attempt_->coordinator) {
    CheckpointStats c = attempt_->coordinator->stats();
    s.completed += c.completed;
    s.failed += c.failed;
    if (c.lastCompletedId) {
      s.lastCompletedId = c.lastCompletedId;
      s.lastDurationMillis = c.lastDurationMillis;
      s.lastBytesWritten = c.lastBytesWritten;
      s.lastStateSize = c.lastStateSize;
    }
  }
  return s;
}

std::string JobHandle::describeTasks() {
  std::lock_guard<std::mutex> lock(mu_);
  std::string s;
  if (attempt_)
    for (auto& t : attempt_->tasks) s += t->describe() + "\n";
  return s;
}

std::string JobHandle::lastRestartCause() {
  std::lock_guard<std::mutex> lock(mu_);
  return lastRestartCause_;
}

int JobHandle::restarts() {
  std::lock_guard<std::mutex> lock(mu_);
  return restarts_;
}

int64_t JobHandle::restoredCheckpointId() {
  std::lock_guard<std::mutex> lock(mu_);
  return lastRestoredFrom_;
}

Status executeJob(const StreamGraph& graph, const JobConfig& config) {
  auto job = JobHandle::start(graph, config);
  if (!job.isOk()) return job.status();
  return (*job)->wait();
}

}  // namespace glint
