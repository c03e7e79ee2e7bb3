// The man page and the bash completion, both read off the CLI11 tree (see cli_reference.hpp).
#include "app/cli_reference.hpp"

#include "app/build_info.hpp"
#include "app/commands.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>
#include <string_view>
#include <vector>

namespace seatmirror::cli {
namespace {

// Visible subcommands (a hidden one has an empty group), in the order --help lists them.
std::vector<const CLI::App*> visible_subcommands(const CLI::App& command) {
  return command.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

bool is_flag(const CLI::Option& option) { return option.get_type_size_max() == 0; }

// "TEXT:{full,normal}" -> "full normal"; "" when the option has no fixed set of values.
std::string choices_of(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::string words = type.substr(open + 1, close - open - 1);
  for (char& c : words) {
    if (c == ',') c = ' ';
  }
  return words;
}

std::string option_names(const CLI::Option& option, std::string_view separator) {
  std::vector<std::string> names;
  for (const auto& s : option.get_snames()) names.push_back("-" + s);
  for (const auto& l : option.get_lnames()) names.push_back("--" + l);
  return fmt::format("{}", fmt::join(names, separator));
}

// ---- bash completion ---------------------------------------------------------------------

struct CompletionTables {
  std::map<std::string, std::string> subcommands;  // command path -> its subcommands
  std::map<std::string, std::string> options;      // command path -> its option names
  std::map<std::string, std::string> values;       // "path option" -> its choices, or "" (files)
  std::map<std::string, std::string> arguments;    // command path -> its first argument's choices
};

void collect_completion(const CLI::App& command, const std::string& path, CompletionTables& tables) {
  std::vector<std::string> subs;
  for (const CLI::App* sub : visible_subcommands(command)) {
    subs.push_back(sub->get_name());
    collect_completion(*sub, path + " " + sub->get_name(), tables);
  }
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_positional()) {
      if (!tables.arguments.contains(path)) tables.arguments[path] = choices_of(*option);
      continue;
    }
    const std::string spelled = option_names(*option, " ");
    names.push_back(spelled);
    if (is_flag(*option)) continue;
    for (const auto& l : option->get_lnames()) tables.values[path + " --" + l] = choices_of(*option);
  }
  tables.subcommands[path] = fmt::format("{}", fmt::join(subs, " "));
  tables.options[path] = fmt::format("{}", fmt::join(names, " "));
}

std::string bash_array(std::string_view name, const std::map<std::string, std::string>& entries) {
  std::string text = fmt::format("  local -A {}=(\n", name);
  for (const auto& [key, value] : entries) text += fmt::format("    [\"{}\"]=\"{}\"\n", key, value);
  return text + "  )\n";
}

// ---- man page ----------------------------------------------------------------------------

// Text safe inside a roff line: backslashes and hyphens escaped, no line starting a request.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

void describe_option(const CLI::Option& option, std::string& page) {
  const std::string type = option.get_type_name();
  const bool positional = option.get_positional();
  const std::string name = positional ? option.get_name() : option_names(option, ", ");
  page += ".TP\n";
  if (positional) {
    page += fmt::format(".I {}\n", roff(name));
  } else if (is_flag(option) || type.empty()) {
    page += fmt::format(".B {}\n", roff(name));
  } else {
    page += fmt::format(".BI \"{} \" {}\n", roff(name), roff(type));
  }
  std::string text = option.get_description();
  if (!option.get_default_str().empty()) text += fmt::format(" (default: {})", option.get_default_str());
  if (!option.get_envname().empty()) text += fmt::format(" [environment: {}]", option.get_envname());
  page += roff(text) + "\n";
}

void describe_command(const CLI::App& command, const std::string& path, std::string& page) {
  page += fmt::format(".SS \"{}\"\n{}\n", roff(path), roff(command.get_description()));
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_lnames() == std::vector<std::string>{"help"}) continue;
    describe_option(*option, page);
  }
  for (const CLI::App* sub : visible_subcommands(command)) describe_command(*sub, path + " " + sub->get_name(), page);
}

std::string exit_status_section() {
  std::string section = ".SH EXIT STATUS\n";
  for (const auto& status : kExitStatuses)
    section += fmt::format(".TP\n.B {}\n{}\n", status.code, roff(status.meaning));
  return section;
}

constexpr std::string_view kManTail = R"(.SH FILES
.TP
.I /etc/seatmirror/seatmirror.env
the service's settings: SEATMIRROR_* variables, one per option of
.BR "seatmirror serve" .
.TP
.I /etc/seatmirror/webhook\-secret
the webhook secret(s), one per line, readable by the seatmirror user only.
.TP
.I /var/lib/seatmirror/seatmirror.db
the database of the packaged service (its StateDirectory).
.SH SERVICE
The Debian package installs
.I seatmirror.service
(a hardened systemd unit running as the system user
.IR seatmirror ).
Put the secret, certificate and key under /etc/seatmirror, then
.B systemctl enable \-\-now seatmirror
and follow it with
.BR "journalctl \-u seatmirror" .
.SH SEE ALSO
.BR sqlite3 (1),
.BR systemctl (1),
.BR journalctl (1),
.BR pg_dump (1);
/usr/share/doc/seatmirror/README.md
)";

}  // namespace

std::string bash_completion_script(const CLI::App& root) {
  CompletionTables tables;
  collect_completion(root, "seatmirror", tables);  // bash keys may not be empty
  std::string script =
      "# bash completion for seatmirror(1): generated by `seatmirror completion bash` from the\n"
      "# options the binary parses; regenerate it rather than editing it.\n"
      "_seatmirror() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n";
  script += bash_array("subcommands", tables.subcommands);
  script += bash_array("options", tables.options);
  script += bash_array("values", tables.values);
  script += bash_array("arguments", tables.arguments);
  script += R"(  # The command typed so far: the words that name a subcommand of the path before them.
  local path=seatmirror word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ " ${subcommands[$path]} " == *" $word "* ]]; then
      path="$path $word"
    fi
  done
  # After an option that takes a value: its choices, or files.
  if [[ -v "values[$path $prev]" ]]; then
    if [[ -n ${values[$path $prev]} ]]; then
      mapfile -t COMPREPLY < <(compgen -W "${values[$path $prev]}" -- "$cur")
    else
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${options[$path]}" -- "$cur")
  elif [[ -n ${subcommands[$path]} ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${subcommands[$path]}" -- "$cur")
  elif [[ -n ${arguments[$path]} ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${arguments[$path]}" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
}
complete -o filenames -F _seatmirror seatmirror
)";
  return script;
}

std::string man_page(const CLI::App& root, const std::string& version) {
  std::string page = fmt::format(
      ".\\\" seatmirror(1): generated by `seatmirror completion man` from the options the binary parses.\n"
      ".TH SEATMIRROR 1 \"\" \"seatmirror {}\" \"User Commands\"\n"
      ".SH NAME\nseatmirror \\- {}\n"
      ".SH SYNOPSIS\n.B seatmirror\n.I command\n.RI [ options ]\n.br\n.B seatmirror \\-\\-version\n"
      ".SH DESCRIPTION\n"
      "seatmirror receives the webhooks of the Betterez Inventory API (seat fees, seat classes and "
      "seatmaps created, updated or deleted) over HTTPS, authenticates each delivery, drops duplicates "
      "by event id, and applies it to read models in SQLite or PostgreSQL, answering 2xx only once the "
      "delivery is durably stored. The other commands replay payload files, query and draw the copy, "
      "compare it with the Inventory API, rebuild it from its event ledger and back it up.\n"
      ".PP\nEvery option of\n.B serve\ncan also be set by the environment variable named with it.\n"
      ".SH COMMANDS\n",
      roff(version), roff(root.get_description().substr(root.get_description().find(':') + 2)));
  for (const CLI::App* sub : visible_subcommands(root)) describe_command(*sub, "seatmirror " + sub->get_name(), page);
  page += exit_status_section();
  page += kManTail;
  return page;
}

void add_completion_command(CLI::App& app, Runner& run) {
  auto* command = app.add_subcommand(
      "completion",
      "Print the bash completion script (bash) or the man page in roff (man), both generated from these options");
  auto format = std::make_shared<std::string>();
  command->add_option("format", *format, "bash or man")->required()->check(CLI::IsMember({"bash", "man"}));
  command->callback([&app, &run, format] {
    run = [&app, format] {
      fmt::print("{}", *format == "bash" ? bash_completion_script(app) : man_page(app, build_info_value("version")));
      return kExitOk;
    };
  });
}

}  // namespace seatmirror::cli
