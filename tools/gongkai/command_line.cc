#include "tools/gongkai/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai::cli {

std::string CommandLine::Value(const std::string& flag,
                               const std::string& fallback) const {
  auto it = values.find(flag);
  return it == values.end() ? fallback : it->second;
}

absl::StatusOr<CommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                             const std::set<std::string>& value_flags,
                                             const std::set<std::string>& switch_flags) {
  CommandLine line;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      line.operands.insert(line.operands.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      line.help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "-") || arg == "-") {
      line.operands.push_back(arg);
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string flag = arg.substr(0, equals);
    if (value_flags.count(flag)) {
      if (equals != std::string::npos) {
        line.values[flag] = arg.substr(equals + 1);
      } else if (i + 1 < args.size()) {
        line.values[flag] = args[++i];
      } else {
        return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
      }
    } else if (switch_flags.count(flag)) {
      if (equals != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(flag, " takes no value"));
      }
      line.switches.insert(flag);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", flag, "'"));
    }
  }
  return line;
}

}  // namespace gongkai::cli
