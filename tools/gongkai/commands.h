// The `gongkai` CLI's subcommands. Each parses its own flags from `args` (the
// words after the subcommand name), runs on `engine` (in-process or remote,
// chosen by main.cc), writes results to stdout and one-line reasons to
// stderr, and returns the process exit code:
//   0  success (for validate: no error-severity finding)
//   1  an input could not be read or processed (e.g. not a report)
//   2  usage error (unknown flag, missing FILE)
//   3  validate only: some report has error-severity findings
#ifndef GONGKAI_TOOLS_GONGKAI_COMMANDS_H_
#define GONGKAI_TOOLS_GONGKAI_COMMANDS_H_

#include <string>
#include <vector>

#include "common/engine/engine.h"

namespace gongkai::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFindings = 3;

// gongkai parse [--output cells|json] FILE...
int RunParse(Engine& engine, const std::vector<std::string>& args);
// gongkai validate [--output findings|json] [--previous FILE] [--disable RULE,...] FILE...
int RunValidate(Engine& engine, const std::vector<std::string>& args);
// gongkai aggregate [--level …] [--year Y] [--output table|cells|json|csv|xlsx] FILE_OR_DIR...
int RunAggregate(Engine& engine, const std::vector<std::string>& args);

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_COMMANDS_H_
