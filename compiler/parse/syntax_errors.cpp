#include "compiler/parse/syntax_errors.h"

#include <algorithm>
#include <cctype>

#include "AxonLexer.h"
#include "AxonParser.h"

namespace axon::parse {

using axon_gen::AxonLexer;

namespace {

std::string token_in_words(const antlr4::dfa::Vocabulary& vocab, size_t type) {
  if (type == antlr4::Token::EOF) return "end of file";
  switch (type) {
    case AxonLexer::ID: return "a name";
    case AxonLexer::NUMBER: return "a number";
    case AxonLexer::STRING: return "a string";
    case AxonLexer::ERROR_CHAR: return "a character";
    case AxonLexer::PRIME: return "a prime (as in v' = ...)";
    default: break;
  }
  std::string literal = vocab.getLiteralName(type);
  if (!literal.empty()) return literal;
  return vocab.getSymbolicName(type);
}

std::string offending_in_words(antlr4::Token* t) {
  if (t == nullptr) return "input";
  if (t->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = t->getText();
  if (t->getType() == AxonLexer::ERROR_CHAR) return "character '" + text + "'";
  if (t->getType() == AxonLexer::NUMBER) return "number " + text;
  if (t->getType() == AxonLexer::ID) return "name '" + text + "'";
  return "'" + text + "'";
}

std::string join_alternatives(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

void SyntaxErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t col,
                                      const std::string& /*msg*/, std::exception_ptr /*e*/) {
  // ANTLR's recovery can report twice at one place, and its resynchronisation often
  // reports every next few tokens as well ("# a comment" gives one error per word).
  // Errors within a few tokens of the previous one are that cascade: keep the first.
  const size_t quiet_tokens = 5;
  size_t index = offending != nullptr ? offending->getTokenIndex() : last_index_;
  bool cascade = count_ > 0 && ((line == last_line_ && col == last_col_) ||
                                (index >= last_index_ && index - last_index_ <= quiet_tokens));
  last_line_ = line;
  last_col_ = col;
  last_index_ = index;
  if (cascade) return;
  ++count_;

  SourceRange range;
  range.file = file_;
  range.line = static_cast<uint32_t>(line);
  range.col = columns_.byte_col(line, col);
  range.end_line = range.line;
  size_t len = 1;
  if (offending != nullptr && offending->getType() != antlr4::Token::EOF)
    len = std::max<size_t>(1, offending->getText().size());
  range.end_col = static_cast<uint32_t>(range.col + len);

  std::vector<std::string> expected;
  if (auto* parser = dynamic_cast<antlr4::Parser*>(recognizer)) {
    antlr4::misc::IntervalSet set = parser->getExpectedTokens();
    const antlr4::dfa::Vocabulary& vocab = parser->getVocabulary();
    std::vector<std::string> names, literals;
    for (ssize_t type : set.toList()) {
      if (type == AxonLexer::ERROR_CHAR) continue;
      std::string w = token_in_words(vocab, static_cast<size_t>(type));
      (w.front() == '\'' ? literals : names).push_back(w);
    }
    // Punctuation before keywords, so that a missing '}' or ')' makes the short list.
    auto keyword = [](const std::string& w) { return w.size() > 1 && std::isalpha(static_cast<unsigned char>(w[1])); };
    std::sort(literals.begin(), literals.end(), [&](const std::string& a, const std::string& b) {
      if (keyword(a) != keyword(b)) return keyword(b);
      return a < b;
    });
    expected = names;
    expected.insert(expected.end(), literals.begin(), literals.end());
  }

  std::string message = "unexpected " + offending_in_words(offending);
  Diagnostic& d = diags_.error("E001", range, message);
  const size_t shown = 8;
  if (!expected.empty() && expected.size() <= shown) {
    d.message += "; expected " + join_alternatives(expected);
  } else if (!expected.empty()) {
    std::vector<std::string> first(expected.begin(), expected.begin() + shown);
    d.hint = "expected one of " + std::to_string(expected.size()) + " things here, e.g. " + join_alternatives(first);
  }
  if (offending != nullptr && offending->getText() == "#") d.hint = "comments start with //";
}

}  // namespace axon::parse
