#include "glint/runtime/job_runner.h"

#include <thread>

namespace glint {

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

Result<std::unique_ptr<JobHandle>> JobHandle::start(const StreamGraph& graph,
                                                    const JobConfig& config) {
  std::unique_ptr<JobHandle> job(new JobHandle());
  GLINT_RETURN_IF_ERROR(job->build(graph, config));
  job->running_ = static_cast<int>(job->tasks_.size());
  for (auto& t : job->tasks_) t->wake();
  return job;
}

JobHandle::~JobHandle() {
  cancel();
  wait().isOk();
  if (executor_) executor_->shutdown();
}

Status JobHandle::build(const StreamGraph& graph, const JobConfig& config) {
  config_ = config;
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
  auto chainable = [&](const StreamEdge* e) {
    const StreamNode& a = nodes[e->from];
    const StreamNode& b = nodes[e->to];
    size_t mainOut = 0;
    for (auto* o : out[a.id]) mainOut += o->fromOutput == 0;
    return e->partitioning == Partitioning::kForward && e->fromOutput == 0 &&
           a.parallelism == b.parallelism && in[b.id].size() == 1 && b.numInputs == 1 &&
           !b.isSource && mainOut == 1;
  };
  // Chains: start at every node that is not chained to its input, follow chainable edges.
  std::vector<int> chainOf(n, -1), positionInChain(n, 0);
  std::vector<std::vector<int>> chains;
  for (const auto& node : nodes) {
    if (in[node.id].size() == 1 && chainable(in[node.id][0])) continue;
    std::vector<int> chain{node.id};
    int cur = node.id;
    while (true) {
      const StreamEdge* next = nullptr;
      for (auto* e : out[cur])
        if (chainable(e)) next = e;
      if (!next) break;
      cur = next->to;
      chain.push_back(cur);
    }
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
    physicalPlan_ += "task " + std::to_string(c) + ": " + chainName + " x" +
                     std::to_string(head.parallelism) + "\n";
    for (int s = 0; s < head.parallelism; ++s) {
      auto task = std::make_unique<StreamTask>(
          chainName + " (" + std::to_string(s + 1) + "/" + std::to_string(head.parallelism) + ")",
          &metrics_, [this](const std::string& m) { onTaskFailed(m); },
          [this] { onTaskFinished(); });
      for (int id : chains[c]) {
        const StreamNode& node = nodes[id];
        OperatorContext ctx;
        ctx.name = node.name;
        ctx.subtaskIndex = s;
        ctx.parallelism = node.parallelism;
        ctx.maxParallelism = config.maxParallelism;
        ctx.keyGroups = keyGroupRangeForSubtask(config.maxParallelism, node.parallelism, s);
        ctx.config = config;
        ctx.sideOutputNames = node.sideOutputNames;
        auto op = node.factory();
        if (!op) return Status::internal("operator '" + node.name + "' has no implementation");
        task->addOperator(std::move(op), std::move(ctx));
      }
      tasksOfChain[c].push_back(task.get());
      tasks_.push_back(std::move(task));
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
    physicalPlan_ += "  " + from.name +
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
  executor_ = std::make_unique<TaskExecutor>(std::max(1, threads));
  for (auto& t : tasks_) t->attachTo(executor_.get());
  return Status::ok();
}

void JobHandle::onTaskFinished() {
  std::lock_guard<std::mutex> lock(mu_);
  if (--running_ == 0) done_.notify_all();
}

void JobHandle::onTaskFailed(const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (failure_.empty()) failure_ = message;
  }
  cancel();
}

void JobHandle::cancel() {
  for (auto& t : tasks_) {
    t->cancel();
    t->wake();
  }
}

Status JobHandle::wait() {
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return running_ == 0; });
  if (!failure_.empty()) return Status::internal("job failed: " + failure_);
  return Status::ok();
}

bool JobHandle::waitFor(int64_t millis) {
  std::unique_lock<std::mutex> lock(mu_);
  return done_.wait_for(lock, std::chrono::milliseconds(millis), [&] { return running_ == 0; });
}

bool JobHandle::isDone() {
  std::lock_guard<std::mutex> lock(mu_);
  return running_ == 0;
}

Status executeJob(const StreamGraph& graph, const JobConfig& config) {
  auto job = JobHandle::start(graph, config);
  if (!job.isOk()) return job.status();
  return (*job)->wait();
}

}  // namespace glint
