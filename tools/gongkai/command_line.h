// The one flag syntax of every gongkai subcommand: `--name VALUE` or
// `--name=VALUE` for value flags, bare `--name` for switches, `-h`/`--help`,
// `--` ending the flags, and every other word an operand (`-` included).
// A repeated value flag keeps its last value.
#ifndef GONGKAI_TOOLS_GONGKAI_COMMAND_LINE_H_
#define GONGKAI_TOOLS_GONGKAI_COMMAND_LINE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gongkai::cli {

struct CommandLine {
  std::map<std::string, std::string> values;  // value flags given, by name
  std::set<std::string> switches;             // switches given
  std::vector<std::string> operands;          // files, in order
  bool help = false;                          // -h or --help was given

  // The value of `flag`, or `fallback` when it was not given.
  std::string Value(const std::string& flag, const std::string& fallback = "") const;
  bool Has(const std::string& flag) const {
    return values.count(flag) > 0 || switches.count(flag) > 0;
  }
};

// Splits `args` against the subcommand's `value_flags` and `switch_flags`
// (names with their leading "--"). Errors: INVALID_ARGUMENT with a one-line
// reason for an unknown flag, a value flag without a value, or a switch
// given a value.
absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::set<std::string>& value_flags,
                                             const std::set<std::string>& switch_flags = {});

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_COMMAND_LINE_H_
