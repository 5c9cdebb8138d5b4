#pragma once
// The expression grammar. Precedence, loosest first:
//   if-then-else · or · and · not · comparison (== != < <= > >= in, not in)
//   · + - · * / · unary - · postfix (.field [index]) · primary.
// `>` (expectation) is used wherever backtracking makes no sense, so that an error is
// reported where the user erred, naming what was expected.

#include <boost/spirit/home/support/char_encoding/unicode/query.hpp>
#include <boost/spirit/home/x3.hpp>
#include <boost/spirit/home/x3/support/utility/annotate_on_success.hpp>

#include "expr/ast.hpp"
#include "expr/ast_adapted.hpp"
#include "expr/config.hpp"
#include "expr/grammar.hpp"
#include "value/utf8.hpp"

namespace rulebook::expr::grammar {
using ast::Op;
using x3::attr;
using x3::lexeme;
using x3::lit;
using x3::raw;
using x3::ascii::digit;

// One identifier character: an ASCII letter or '_', a digit unless first, or any
// alphabetic Unicode character (Chinese included), decoded from UTF-8.
struct ident_char_parser : x3::parser<ident_char_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;
  bool first;
  constexpr explicit ident_char_parser(bool is_first) : first(is_first) {}

  template <typename It, typename Ctx, typename RCtx, typename Attr>
  bool parse(It& it, It const& last, Ctx const&, RCtx&, Attr&) const {
    if (it == last) return false;
    auto c = static_cast<unsigned char>(*it);
    if (c < 0x80) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
      if (ok) ++it;
      return ok;
    }
    // Only well-formed UTF-8: the Unicode tables stop at U+10FFFF (the fuzzer found that).
    auto cp = decode_utf8(std::string_view(&*it, static_cast<std::size_t>(last - it)));
    if (!cp || !boost::spirit::ucd::is_alphabetic(cp->value)) return false;
    it += static_cast<std::ptrdiff_t>(cp->length);
    return true;
  }
};
constexpr ident_char_parser ident_start{true};
constexpr ident_char_parser ident_rest{false};

// A keyword is a word not followed by more identifier characters ("android" is a name).
auto kw(const char* word) { return lexeme[lit(word) >> !ident_rest]; }

auto const reserved = kw("and") | kw("or") | kw("not") | kw("in") | kw("if") | kw("then") | kw("else") | kw("true") |
                      kw("false") | kw("null");

struct cmp_symbols : x3::symbols<Op> {
  cmp_symbols() {
    add("==", Op::eq)("!=", Op::ne)("<=", Op::le)(">=", Op::ge)("<", Op::lt)(">", Op::gt)  //
        ("≠", Op::ne)("≤", Op::le)("≥", Op::ge);
  }
} const cmp_sym;
struct add_symbols : x3::symbols<Op> {
  add_symbols() { add("+", Op::add)("-", Op::sub); }
} const add_sym;
struct mul_symbols : x3::symbols<Op> {
  mul_symbols() { add("*", Op::mul)("/", Op::div)("×", Op::mul)("÷", Op::div); }
} const mul_sym;
struct suffix_symbols : x3::symbols<std::string> {
  suffix_symbols() { add("%", "%")("万", "万")("亿", "亿"); }
} const suffix_sym;

// Rule names are the words an error message uses for what was expected.
struct expression_top_class;
struct expression_class;
struct conditional_class;
struct disjunction_class;
struct conjunction_class;
struct negation_class;
struct not_expr_class;
struct comparison_class;
struct additive_class;
struct multiplicative_class;
struct unary_class;
struct neg_expr_class;
struct postfix_class;
struct primary_class;
struct number_class;
struct string_lit_class;
struct keyword_lit_class;
struct date_lit_class;
struct name_class;
struct identifier_class;
struct call_class;
struct argument_class;
struct lambda_class;
struct list_lit_class;
struct field_class;
struct index_class;
struct cmp_op_class;
struct operation_or_class;
struct operation_and_class;
struct operation_cmp_class;
struct operation_add_class;
struct operation_mul_class;

x3::rule<expression_class, ast::Operand> const expression_r = "an expression";
expression_top_type const expression_top = "an expression";
x3::rule<conditional_class, ast::Conditional> const conditional = "an if-then-else";
x3::rule<disjunction_class, ast::Chain> const disjunction = "an expression";
x3::rule<conjunction_class, ast::Chain> const conjunction = "an expression";
x3::rule<negation_class, ast::Operand> const negation = "an expression";
x3::rule<not_expr_class, ast::Unary> const not_expr = "an expression after 'not'";
x3::rule<comparison_class, ast::Chain> const comparison = "an expression";
x3::rule<additive_class, ast::Chain> const additive = "an expression";
x3::rule<multiplicative_class, ast::Chain> const multiplicative = "an expression";
x3::rule<unary_class, ast::Operand> const unary = "an operand";
x3::rule<neg_expr_class, ast::Unary> const neg_expr = "an operand after '-'";
x3::rule<postfix_class, ast::Postfix> const postfix = "an operand";
x3::rule<primary_class, ast::Operand> const primary = "an operand (a number, date, string, name, call or '(')";
x3::rule<number_class, ast::Number> const number = "a number";
x3::rule<string_lit_class, ast::String> const string_lit = "a string";
x3::rule<keyword_lit_class, ast::Keyword> const keyword_lit = "true, false or null";
x3::rule<date_lit_class, ast::DateLit> const date_lit = "a date (YYYY-MM-DD)";
x3::rule<name_class, ast::Name> const name = "a name";
x3::rule<identifier_class, std::string> const identifier = "a name";
x3::rule<call_class, ast::Call> const call = "a function call";
x3::rule<argument_class, ast::Operand> const argument = "an argument";
x3::rule<lambda_class, ast::Lambda> const lambda = "a lambda (x -> …)";
x3::rule<list_lit_class, ast::ListLit> const list_lit = "a list";
x3::rule<field_class, ast::Field> const field = "a field name";
x3::rule<index_class, ast::Index> const index = "an index";
x3::rule<operation_or_class, ast::Operation> const operation_or = "'or'";
x3::rule<operation_and_class, ast::Operation> const operation_and = "'and'";
x3::rule<operation_cmp_class, ast::Operation> const operation_cmp = "a comparison";
x3::rule<operation_add_class, ast::Operation> const operation_add = "'+' or '-'";
x3::rule<operation_mul_class, ast::Operation> const operation_mul = "'*' or '/'";
x3::rule<cmp_op_class, Op> const cmp_op = "a comparison operator";

auto const identifier_def = raw[lexeme[!reserved >> ident_start >> *ident_rest]];
auto const name_def = identifier;

auto const expression_top_def = expression_r > x3::eoi;
auto const expression_r_def = conditional | disjunction;
x3::rule<struct then_kw_class> const then_kw = "'then'";
x3::rule<struct else_kw_class> const else_kw = "'else'";
auto const then_kw_def = kw("then");
auto const else_kw_def = kw("else");
auto const conditional_def = kw("if") > expression_r > then_kw > expression_r > else_kw > expression_r;

auto const operation_or_def = (kw("or") >> attr(Op::or_)) > conjunction;
auto const disjunction_def = conjunction >> *operation_or;
auto const operation_and_def = (kw("and") >> attr(Op::and_)) > negation;
auto const conjunction_def = negation >> *operation_and;
auto const not_expr_def = (kw("not") >> !kw("in") >> attr(Op::not_)) > negation;
auto const negation_def = not_expr | comparison;

auto const cmp_op_def = cmp_sym | (kw("in") >> attr(Op::in)) | (kw("not") >> kw("in") >> attr(Op::not_in));
auto const operation_cmp_def = cmp_op > additive;
auto const comparison_def = additive >> *operation_cmp;
auto const operation_add_def = add_sym > multiplicative;
auto const additive_def = multiplicative >> *operation_add;
auto const operation_mul_def = mul_sym > unary;
auto const multiplicative_def = unary >> *operation_mul;
auto const neg_expr_def = (lit('-') >> attr(Op::neg)) > unary;
auto const unary_def = neg_expr | postfix;

auto const field_def = lit('.') > identifier;
auto const index_def = lit('[') > expression_r > lit(']');
auto const postfix_def = primary >> *(field | index);

auto const date_lit_def =
    raw[lexeme[x3::repeat(4)[digit] >> '-' >> x3::repeat(2)[digit] >> '-' >> x3::repeat(2)[digit] >> !digit]];
auto const number_def = lexeme[raw[+digit >> -('.' >> +digit)] >> (suffix_sym | attr(std::string()))];
// What follows a backslash, named so that `"caf\u00e9"` says what is allowed.
x3::rule<struct escaped_class, char> const escaped = "an escape: \\\", \\', \\\\, \\n or \\t";
auto const escaped_def = lit('"') >> attr('"') | lit('\'') >> attr('\'') | lit('\\') >> attr('\\') |
                         lit('n') >> attr('\n') | lit('t') >> attr('\t');
auto const escape = lit('\\') > escaped;
auto const string_lit_def = lexeme[(lit('"') > *(escape | (x3::char_ - '"' - '\\')) > lit('"')) |
                                   (lit('\'') > *(escape | (x3::char_ - '\'' - '\\')) > lit('\''))];
auto const keyword_lit_def = lexeme[(x3::string("true") | x3::string("false") | x3::string("null")) >> !ident_rest];
// `a, b` rather than `a % ','` so that `[1,,2]` reports the missing expression, not ']'.
x3::rule<struct list_items_class, std::vector<ast::Operand>> const list_items = "an expression";
auto const list_items_def = expression_r >> *(lit(',') > expression_r);
auto const list_lit_def = lit('[') > -list_items > lit(']');
auto const lambda_def = ((x3::repeat(1)[identifier] | ('(' >> (identifier % ',') >> ')')) >> lit("->")) > expression_r;
auto const argument_def = lambda | expression_r;
x3::rule<struct arguments_class, std::vector<ast::Operand>> const arguments = "an argument";
auto const arguments_def = argument >> *(lit(',') > argument);
auto const call_def = (identifier >> lit('(')) > -arguments > lit(')');
auto const primary_def =
    date_lit | number | string_lit | keyword_lit | list_lit | call | name | (lit('(') > expression_r > lit(')'));

BOOST_SPIRIT_DEFINE(then_kw, else_kw, arguments, list_items, expression_top, expression_r, conditional, disjunction,
                    conjunction, negation, not_expr, comparison, additive, multiplicative, unary, neg_expr, postfix,
                    primary, number, string_lit, keyword_lit, date_lit, name, identifier, call, argument, lambda,
                    list_lit, field, index, operation_or, operation_and, operation_cmp, operation_add, operation_mul,
                    cmp_op, escaped)

// Node rules record their source span; the top rule turns an expectation failure into an error.
struct error_handler_base {
  template <typename It, typename Exception, typename Context>
  x3::error_handler_result on_error(It&, It const&, Exception const& x, Context const& context) {
    x3::get<x3::error_handler_tag>(context).get().fail(x.where(), x.which());
    return x3::error_handler_result::fail;
  }
};
struct expression_top_class : error_handler_base, x3::annotate_on_success {};
struct expression_class : x3::annotate_on_success {};
struct conditional_class : x3::annotate_on_success {};
struct disjunction_class : x3::annotate_on_success {};
struct conjunction_class : x3::annotate_on_success {};
struct negation_class : x3::annotate_on_success {};
struct not_expr_class : x3::annotate_on_success {};
struct comparison_class : x3::annotate_on_success {};
struct additive_class : x3::annotate_on_success {};
struct multiplicative_class : x3::annotate_on_success {};
struct unary_class : x3::annotate_on_success {};
struct neg_expr_class : x3::annotate_on_success {};
struct postfix_class : x3::annotate_on_success {};
struct primary_class : x3::annotate_on_success {};
struct number_class : x3::annotate_on_success {};
struct string_lit_class : x3::annotate_on_success {};
struct keyword_lit_class : x3::annotate_on_success {};
struct date_lit_class : x3::annotate_on_success {};
struct name_class : x3::annotate_on_success {};
struct call_class : x3::annotate_on_success {};
struct lambda_class : x3::annotate_on_success {};
struct list_lit_class : x3::annotate_on_success {};
struct field_class : x3::annotate_on_success {};
struct index_class : x3::annotate_on_success {};
struct operation_or_class : x3::annotate_on_success {};
struct operation_and_class : x3::annotate_on_success {};
struct operation_cmp_class : x3::annotate_on_success {};
struct operation_add_class : x3::annotate_on_success {};
struct operation_mul_class : x3::annotate_on_success {};

}  // namespace rulebook::expr::grammar

namespace rulebook::expr {
grammar::expression_top_type const& expression() { return grammar::expression_top; }
}  // namespace rulebook::expr
