#include "app/did_you_mean.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace seatmirror::cli {
namespace {

// Edits (insert, delete, replace, swap of neighbours) between two names: the optimal string
// alignment distance, which counts the common "--jsno" typo as one edit.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  std::iota(d[0].begin(), d[0].end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t replace = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + replace});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

const CLI::App* deepest_parsed(const CLI::App& app) {
  const CLI::App* at = &app;
  for (auto parsed = at->get_subcommands(); !parsed.empty(); parsed = at->get_subcommands()) at = parsed.back();
  return at;
}

// What may be typed at `command`: its long and short options and its subcommands' names.
std::vector<std::string> names_known_to(const CLI::App& command) {
  std::vector<std::string> names;
  for (const auto* option : command.get_options()) {
    for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    for (const auto& name : option->get_snames()) names.push_back("-" + name);
  }
  for (const auto* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

}  // namespace

std::string parsed_command_path(const CLI::App& app) {
  std::string path = "seatmirror";  // not argv[0], which may be a long path
  for (auto parsed = app.get_subcommands(); !parsed.empty(); parsed = parsed.back()->get_subcommands()) {
    path += " " + parsed.back()->get_name();
  }
  return path;
}

std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& known) {
  // Only the name part of --name=value is compared.
  typed = typed.substr(0, typed.find('='));
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& name : known) {
    const auto distance = edit_distance(typed, name);
    if (distance == 0) continue;  // known, so not the mistake
    if (!best || distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  if (!best || best_distance > std::max<std::size_t>(1, std::min<std::size_t>(3, best->size() / 3)))
    return std::nullopt;
  return best;
}

std::string suggestions_for(const CLI::App& app) {
  const auto* command = deepest_parsed(app);
  const auto known = names_known_to(*command);
  std::string text;
  for (const auto& argument : app.remaining(true)) {
    if (const auto name = closest_name(argument, known)) {
      text += fmt::format("unknown {} '{}' for '{}'; did you mean '{}'?\n",
                          argument.starts_with('-') ? "option" : "command", argument, parsed_command_path(app), *name);
    }
  }
  return text;
}

}  // namespace seatmirror::cli
