// Checkpoint files on disk: round trips, corruption and truncation detection (the error names
// the file), atomic metadata, fallback to an older checkpoint, retention and shared files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "glint/runtime/checkpoint/checkpoint_storage.h"
#include "glint/types/batch.h"

namespace glint {
namespace {

namespace fs = std::filesystem;

class CheckpointStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("glint_ckpt_storage_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  OperatorSnapshot sampleSnapshot(const std::string& uid, int subtask) {
    OperatorSnapshot s;
    s.uid = uid;
    s.subtask = subtask;
    s.parallelism = 2;
    s.operatorState = {"position-" + std::to_string(subtask), std::string("\0binary\xff", 8)};
    s.hasKeyedState = true;
    s.keyedHandle.keyGroups = {subtask * 64, subtask * 64 + 63};
    s.keyedHandle.blocks = {{subtask * 64, "kg-a"}, {subtask * 64 + 5, "kg-b"}};
    s.keyedOperatorData = {{subtask * 64 + 5, "timers"}};
    auto schema = makeSchema({{"x", TypeId::kBigint}, {"s", TypeId::kVarchar}});
    Batch b(schema);
    b.mutableColumn(0).appendInt(7);
    b.mutableColumn(1).appendString("seven");
    b.setNumRows(1);
    s.inFlight.push_back({1, 0, std::move(b)});
    return s;
  }

  // Writes checkpoint `id` with two operator instances.
  CheckpointMetadata writeCheckpoint(CheckpointStorage& storage, int64_t id) {
    const fs::path dir = storage.checkpointDir(id);
    fs::create_directories(dir);
    CheckpointMetadata m;
    m.checkpointId = id;
    m.maxParallelism = 128;
    for (int subtask = 0; subtask < 2; ++subtask) {
      auto e = checkpoint_files::writeOperatorState(dir, sampleSnapshot("window-op", subtask));
      EXPECT_TRUE(e.isOk()) << e.status().message();
      m.entries.push_back(*e);
    }
    EXPECT_TRUE(checkpoint_files::writeMetadata(dir, m).isOk());
    return m;
  }

  fs::path root_;
};

TEST_F(CheckpointStorageTest, RoundTripsEveryKindOfState) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  writeCheckpoint(storage, 3);
  auto loaded = loadCheckpoint(root_);
  ASSERT_TRUE(loaded.isOk()) << loaded.status().message();
  EXPECT_EQ(loaded->metadata.checkpointId, 3);
  ASSERT_EQ(loaded->operators.size(), 2u);
  const LoadedOperatorState& s = loaded->operators[1];
  EXPECT_EQ(s.uid, "window-op");
  EXPECT_EQ(s.subtask, 1);
  EXPECT_EQ(s.operatorState, (std::vector<std::string>{"position-1", std::string("\0binary\xff", 8)}));
  ASSERT_TRUE(s.hasKeyedState);
  EXPECT_EQ(s.keyedHandle.keyGroups.first, 64);
  ASSERT_EQ(s.keyedHandle.blocks.size(), 2u);
  EXPECT_EQ(s.keyedHandle.blocks[1].keyGroup, 69);
  EXPECT_EQ(s.keyedHandle.blocks[1].bytes, "kg-b");
  ASSERT_EQ(s.keyedOperatorData.size(), 1u);
  EXPECT_EQ(s.keyedOperatorData[0].bytes, "timers");
  ASSERT_EQ(s.inFlight.size(), 1u);
  EXPECT_EQ(s.inFlight[0].channel, 1);
  EXPECT_EQ(s.inFlight[0].batch.column(1).getString(0), "seven");
}

TEST_F(CheckpointStorageTest, IncompleteCheckpointsAreNeverUsed) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  writeCheckpoint(storage, 1);
  // Checkpoint 2 has its state files but no metadata (the process died before the end).
  fs::create_directories(storage.checkpointDir(2));
  ASSERT_TRUE(checkpoint_files::writeOperatorState(storage.checkpointDir(2), sampleSnapshot("w", 0)).isOk());
  EXPECT_EQ(storage.completedCheckpoints(), (std::vector<int64_t>{1}));
  EXPECT_EQ(storage.highestCheckpointId(), 2);
  auto loaded = loadCheckpoint(root_);
  ASSERT_TRUE(loaded.isOk());
  EXPECT_EQ(loaded->metadata.checkpointId, 1);
  storage.removeIncomplete();
  EXPECT_FALSE(fs::exists(storage.checkpointDir(2)));
  EXPECT_TRUE(fs::exists(storage.checkpointDir(1)));
}

TEST_F(CheckpointStorageTest, CorruptStateFileIsNamedAndRecoveryFallsBack) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  writeCheckpoint(storage, 1);
  CheckpointMetadata newest = writeCheckpoint(storage, 2);
  const fs::path victim = storage.checkpointDir(2) / newest.entries[1].file;
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    f.put('\x5a');
  }
  auto direct = loadCheckpoint(storage.checkpointDir(2));
  ASSERT_FALSE(direct.isOk());
  EXPECT_NE(direct.status().message().find(victim.string()), std::string::npos) << direct.status().message();
  EXPECT_NE(direct.status().message().find("checksum"), std::string::npos);
  std::vector<std::string> notes;
  auto fallback = loadCheckpoint(root_, &notes);
  ASSERT_TRUE(fallback.isOk()) << fallback.status().message();
  EXPECT_EQ(fallback->metadata.checkpointId, 1);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("skipping checkpoint 2"), std::string::npos);
}

TEST_F(CheckpointStorageTest, TruncatedFilesAreReported) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  CheckpointMetadata m = writeCheckpoint(storage, 5);
  const fs::path state = storage.checkpointDir(5) / m.entries[0].file;
  fs::resize_file(state, fs::file_size(state) - 3);
  auto r = loadCheckpoint(storage.checkpointDir(5));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find(state.string()), std::string::npos);
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();

  const fs::path meta = storage.checkpointDir(5) / "_metadata";
  fs::resize_file(meta, 9);
  auto r2 = checkpoint_files::readMetadata(storage.checkpointDir(5));
  ASSERT_FALSE(r2.isOk());
  EXPECT_NE(r2.status().message().find(meta.string()), std::string::npos) << r2.status().message();
  // No complete checkpoint left at all: the error says so and lists why each was skipped.
  auto r3 = loadCheckpoint(root_);
  ASSERT_FALSE(r3.isOk());
  EXPECT_NE(r3.status().message().find("skipping checkpoint 5"), std::string::npos) << r3.status().message();
}

TEST_F(CheckpointStorageTest, UnknownFormatVersionIsAClearError) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  writeCheckpoint(storage, 1);
  const fs::path meta = storage.checkpointDir(1) / "_metadata";
  {
    std::fstream f(meta, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4);
    f.put('\x09');  // version 9
  }
  auto r = checkpoint_files::readMetadata(storage.checkpointDir(1));
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.status().message().find("format version 9"), std::string::npos) << r.status().message();
}

TEST_F(CheckpointStorageTest, RetentionKeepsSharedFilesStillReferenced) {
  CheckpointStorage storage(root_);
  ASSERT_TRUE(storage.init().isOk());
  auto shared = [&](const std::string& name) {
    std::ofstream(root_ / "shared" / name) << name;
    return "shared/" + name;
  };
  const std::string a = shared("a.sst"), b = shared("b.sst"), c = shared("c.sst");
  // Checkpoint 1 uses a and b; checkpoint 2 uses b and c; checkpoint 3 uses c.
  const std::vector<std::vector<std::string>> uses = {{a, b}, {b, c}, {c}};
  for (int64_t id = 1; id <= 3; ++id) {
    fs::create_directories(storage.checkpointDir(id));
    CheckpointMetadata m;
    m.checkpointId = id;
    m.maxParallelism = 128;
    StateFileEntry e;
    e.uid = "op";
    e.file = "none";
    e.sharedFiles = uses[static_cast<size_t>(id - 1)];
    m.entries.push_back(e);
    ASSERT_TRUE(checkpoint_files::writeMetadata(storage.checkpointDir(id), m).isOk());
  }
  storage.retain(2);
  EXPECT_EQ(storage.completedCheckpoints(), (std::vector<int64_t>{3, 2}));
  EXPECT_FALSE(fs::exists(root_ / a));  // only checkpoint 1 used it
  EXPECT_TRUE(fs::exists(root_ / b));   // checkpoint 2 still does
  EXPECT_TRUE(fs::exists(root_ / c));
  storage.retain(1);
  EXPECT_FALSE(fs::exists(root_ / b));
  EXPECT_TRUE(fs::exists(root_ / c));
}

}  // namespace
}  // namespace glint
