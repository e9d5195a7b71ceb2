#pragma once
// The logical job: operators (nodes) and the streams between them (edges). The DataStream API
// and (later) the SQL planner both build this graph; the runtime turns it into parallel,
// chained tasks (runtime/job_runner.h).
#include <string>
#include <vector>

#include "glint/network/partition_writer.h"
#include "glint/runtime/operator.h"

namespace glint {

struct StreamNode {
  int id = 0;
  std::string name;
  std::string uid;  // stable operator id for state (defaults to name#id)
  OperatorFactory factory;
  int parallelism = 1;
  SchemaPtr outputSchema;
  std::vector<SchemaPtr> sideOutputSchemas;  // side output k is at index k-1
  std::vector<std::string> sideOutputNames;  // its OutputTag name
  bool isSource = false;
  int numInputs = 1;
};

struct StreamEdge {
  int from = 0;
  int fromOutput = 0;  // 0: main output; k >= 1: side output k
  int to = 0;
  int toInput = 0;  // 0, or 1 for the second input of a two-input operator
  Partitioning partitioning = Partitioning::kForward;
  std::vector<int> keyColumns;  // kHash
};

class StreamGraph {
 public:
  int addNode(StreamNode node) {
    node.id = static_cast<int>(nodes_.size());
    if (node.uid.empty()) node.uid = node.name + "#" + std::to_string(node.id);
    nodes_.push_back(std::move(node));
    return nodes_.back().id;
  }
  void addEdge(StreamEdge edge) { edges_.push_back(std::move(edge)); }
  const std::vector<StreamNode>& nodes() const { return nodes_; }
  std::vector<StreamNode>& mutableNodes() { return nodes_; }
  const std::vector<StreamEdge>& edges() const { return edges_; }
  StreamNode& node(int id) { return nodes_[id]; }
  const StreamNode& node(int id) const { return nodes_[id]; }
  // A readable plan: one line per node with its parallelism and inputs.
  std::string describe() const;

 private:
  std::vector<StreamNode> nodes_;
  std::vector<StreamEdge> edges_;
};

}  // namespace glint
