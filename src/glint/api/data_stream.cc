#include "glint/api/data_stream.h"

#include "glint/connectors/collection/collection_source.h"
#include "glint/connectors/sinks/basic_sinks.h"
#include "glint/runtime/operators/watermark_operator.h"

namespace glint {

// ---------------------------------------------------------------- StreamExecutionEnvironment

DataStream StreamExecutionEnvironment::fromSource(const std::string& name, SchemaPtr schema,
                                                  OperatorFactory factory) {
  StreamNode node;
  node.name = name;
  node.factory = std::move(factory);
  node.parallelism = config_.parallelism;
  node.outputSchema = schema;
  node.isSource = true;
  node.numInputs = 0;
  int id = graph_.addNode(std::move(node));
  return DataStream(this, id, 0, std::move(schema));
}

DataStream StreamExecutionEnvironment::fromSource(const std::string& name, SchemaPtr schema,
                                                  OperatorFactory factory,
                                                  const WatermarkStrategy& strategy) {
  return fromSource(name, std::move(schema), std::move(factory))
      .assignTimestampsAndWatermarks(strategy);
}

DataStream StreamExecutionEnvironment::fromBatches(SchemaPtr schema, std::vector<Batch> batches,
                                                   const std::string& name) {
  auto shared = std::make_shared<const std::vector<Batch>>(std::move(batches));
  return fromSource(name, std::move(schema),
                    [shared] { return std::make_unique<CollectionSource>(shared); });
}

Result<std::unique_ptr<JobHandle>> StreamExecutionEnvironment::executeAsync(const std::string&) {
  return JobHandle::start(graph_, config_);
}

Status StreamExecutionEnvironment::execute(const std::string& jobName) {
  auto job = executeAsync(jobName);
  if (!job.isOk()) return job.status();
  return (*job)->wait();
}

// ---------------------------------------------------------------- DataStream

int DataStream::column(const std::string& name) const {
  auto index = schema_->find(name);
  if (!index.isOk()) throw GlintError(index.status().message());
  return *index;
}

DataStream& DataStream::setParallelism(int parallelism) {
  if (parallelism < 1)
    throw GlintError("setParallelism: parallelism must be >= 1, got " +
                     std::to_string(parallelism));
  env_->graph().node(node_).parallelism = parallelism;
  return *this;
}

DataStream& DataStream::name(const std::string& name) {
  env_->graph().node(node_).name = name;
  return *this;
}

DataStream& DataStream::uid(const std::string& uid) {
  env_->graph().node(node_).uid = uid;
  return *this;
}

void DataStream::connectTo(int target, int input) const {
  StreamEdge edge;
  edge.from = node_;
  edge.fromOutput = output_;
  edge.to = target;
  edge.toInput = input;
  edge.partitioning = partitioning_;
  edge.keyColumns = keyColumns_;
  env_->graph().addEdge(std::move(edge));
}

DataStream DataStream::transform(const std::string& name, SchemaPtr outputSchema,
                                 OperatorFactory factory) const {
  StreamNode node;
  node.name = name;
  node.factory = std::move(factory);
  node.parallelism = env_->parallelism();
  node.outputSchema = outputSchema;
  // Forward edges keep the upstream parallelism so that the operators chain, as in Flink.
  if (partitioning_ == Partitioning::kForward)
    node.parallelism = env_->graph().node(node_).parallelism;
  if (partitioning_ == Partitioning::kGlobal) node.parallelism = 1;
  int id = env_->graph().addNode(std::move(node));
  connectTo(id, 0);
  return DataStream(env_, id, 0, std::move(outputSchema));
}

DataStream DataStream::transformTwo(const std::string& name, const DataStream& second,
                                    SchemaPtr outputSchema, OperatorFactory factory) const {
  if (second.env_ != env_) throw GlintError("cannot combine streams of different environments");
  StreamNode node;
  node.name = name;
  node.factory = std::move(factory);
  node.parallelism = env_->parallelism();
  node.outputSchema = outputSchema;
  node.numInputs = 2;
  int id = env_->graph().addNode(std::move(node));
  connectTo(id, 0);
  second.connectTo(id, 1);
  return DataStream(env_, id, 0, std::move(outputSchema));
}

DataStream DataStream::project(const std::vector<std::string>& columns, const std::string& name) {
  std::vector<int> indices;
  std::vector<Field> fields;
  for (const auto& c : columns) {
    indices.push_back(column(c));
    fields.push_back(schema_->field(indices.back()));
  }
  SchemaPtr out = makeSchema(std::move(fields));
  return transform(name, out,
                   [out, indices] { return std::make_unique<ProjectOperator>(out, indices); });
}

DataStream DataStream::assignTimestampsAndWatermarks(const WatermarkStrategy& strategy) {
  if (strategy.timestampColumn.empty())
    throw GlintError(
        "WatermarkStrategy needs a timestamp column: use withTimestampColumn(\"<column>\")");
  const int col = column(strategy.timestampColumn);
  const TypeId type = schema_->field(col).type;
  if (physicalTypeOf(type) != PhysicalType::kInt64 || type == TypeId::kBoolean)
    throw GlintError("timestamp column '" + strategy.timestampColumn +
                     "' must be BIGINT or TIMESTAMP, not " + std::string(typeName(type)));
  return transform("Timestamps/Watermarks", schema_, [strategy, col] {
    return std::make_unique<TimestampsAndWatermarksOperator>(strategy, col);
  });
}

KeyedStream DataStream::keyBy(const std::vector<std::string>& columns) {
  if (columns.empty()) throw GlintError("keyBy needs at least one column");
  std::vector<int> keys;
  for (const auto& c : columns) keys.push_back(column(c));
  return KeyedStream(*this, std::move(keys));
}

DataStream DataStream::unionWith(const std::vector<DataStream>& others) {
  for (const auto& o : others) {
    bool same = o.schema_->size() == schema_->size();
    for (size_t i = 0; same && i < schema_->size(); ++i)
      same = o.schema_->field(i).type == schema_->field(i).type;
    if (!same)
      throw GlintError("union: streams must have the same column types; " + schema_->toString() +
                       " vs " + o.schema_->toString());
  }
  StreamNode node;
  node.name = "Union";
  node.factory = [] { return std::make_unique<IdentityOperator>(); };
  node.parallelism = env_->parallelism();
  node.outputSchema = schema_;
  int id = env_->graph().addNode(std::move(node));
  connectTo(id, 0);
  for (const auto& o : others) o.connectTo(id, 0);
  return DataStream(env_, id, 0, schema_);
}

ConnectedStreams DataStream::connect(const DataStream& other) {
  return ConnectedStreams(*this, other);
}

ConnectedStreams ConnectedStreams::keyBy(const std::vector<std::string>& firstKey,
                                         const std::vector<std::string>& secondKey) const {
  DataStream a = first_, b = second_;
  KeyedStream ka = a.keyBy(firstKey);
  KeyedStream kb = b.keyBy(secondKey);
  ka.checkKeyTypes(kb);
  return ConnectedStreams(ka, kb);
}

void KeyedStream::checkKeyTypes(const KeyedStream& other) const {
  bool same = keyColumns_.size() == other.keyColumns_.size();
  for (size_t i = 0; same && i < keyColumns_.size(); ++i)
    same = physicalTypeOf(schema_->field(keyColumns_[i]).type) ==
           physicalTypeOf(other.schema_->field(other.keyColumns_[i]).type);
  if (!same) throw GlintError("the key columns of the two inputs must have the same types");
}

DataStream DataStream::getSideOutput(const OutputTag& tag) {
  StreamNode& node = env_->graph().node(node_);
  int index = 0;
  for (size_t i = 0; i < node.sideOutputNames.size(); ++i)
    if (node.sideOutputNames[i] == tag.name) index = static_cast<int>(i) + 1;
  if (index == 0) {
    node.sideOutputNames.push_back(tag.name);
    node.sideOutputSchemas.push_back(tag.schema);
    index = static_cast<int>(node.sideOutputNames.size());
  }
  return DataStream(env_, node_, index, tag.schema);
}

void DataStream::sinkTo(const std::string& name, OperatorFactory factory) {
  transform(name, schema_, std::move(factory));
}

void DataStream::print(const std::string& name) {
  sinkTo(name, [] { return std::make_unique<PrintSink>(); });
}

}  // namespace glint
