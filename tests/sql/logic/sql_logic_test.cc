// Runs every tests/sql/logic/**/*.test file as one GoogleTest test, SqlLogic.<path>, e.g.
// SqlLogic.expressions_null_logic for tests/sql/logic/expressions/null_logic.test.
//
// Environment:
//   GLINT_SQL_LOGIC_RUN_SKIPPED=1  also run the records marked `skipif` and list those that
//                                  pass now (their skipif can go).
//   GLINT_SQL_LOGIC_VERBOSE=1      print the skipped records of every file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/sql/logic/logic_runner.h"

namespace glint::sql::logic {
namespace {

namespace fs = std::filesystem;

const fs::path kLogicDir = fs::path(GLINT_SOURCE_DIR) / "tests" / "sql" / "logic";

bool envFlag(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

class LogicFileTest : public ::testing::Test {
 public:
  explicit LogicFileTest(fs::path path) : path_(std::move(path)) {}

  void TestBody() override {
    std::ifstream in(path_, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << path_;
    std::stringstream text;
    text << in.rdbuf();
    const std::string name = fs::relative(path_, GLINT_SOURCE_DIR).string();
    auto parsed = parseLogicFile(text.str(), name);
    ASSERT_TRUE(parsed.isOk()) << parsed.status().message();

    // A fresh directory per file for its data (`file ${TMP}/x.csv`) and sink outputs.
    const fs::path tmp =
        fs::temp_directory_path() /
        ("glint_sql_logic_" + std::to_string(::getpid()) + "_" + path_.stem().string());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    LogicRunOptions options;
    options.tmpDir = tmp.string();
    options.sourceDir = GLINT_SOURCE_DIR;
    options.runSkipped = envFlag("GLINT_SQL_LOGIC_RUN_SKIPPED");
    LogicRunReport report = runLogicFile(parsed.value(), options);
    fs::remove_all(tmp);

    for (const auto& failure : report.failures) ADD_FAILURE() << failure;
    if (!report.skipped.empty()) {
      std::cout << "[ skipped  ] " << report.skipped.size() << " record run(s) of " << name
                << " marked skipif (" << report.recordsRun << " ran)\n";
      if (envFlag("GLINT_SQL_LOGIC_VERBOSE"))
        for (const auto& s : report.skipped) std::cout << "    " << s << '\n';
    }
    for (const auto& passing : report.nowPassing)
      std::cout << "[ now ok   ] " << passing << " passes: remove its skipif\n";
    EXPECT_GT(report.recordsRun + static_cast<int>(report.skipped.size()), 0)
        << name << " has no statements or queries";
  }

 private:
  fs::path path_;
};

std::string testNameOf(const fs::path& path) {
  std::string name = fs::relative(path, kLogicDir).replace_extension().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

// Registers one test per .test file before main runs, so that ctest lists them one by one.
[[maybe_unused]] const bool kRegistered = [] {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(kLogicDir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".test") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    ::testing::RegisterTest("SqlLogic", testNameOf(path).c_str(), nullptr, nullptr,
                            path.string().c_str(), 1,
                            [path]() -> ::testing::Test* { return new LogicFileTest(path); });
  }
  return true;
}();

TEST(SqlLogicFiles, AreFound) {
  // Guards against a moved directory silently running no file at all.
  EXPECT_TRUE(fs::is_directory(kLogicDir)) << kLogicDir;
  size_t count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kLogicDir))
    count += entry.path().extension() == ".test";
  EXPECT_GE(count, 10u);
}

}  // namespace
}  // namespace glint::sql::logic
