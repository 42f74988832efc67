#include "compiler/parse/parser.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "AxonLexer.h"
#include "AxonParser.h"
#include "antlr4-runtime.h"
#include "compiler/parse/syntax_errors.h"
#include "compiler/parse/utf8.h"

namespace axon {

using namespace axon_gen;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

namespace {

// How deeply the parser may recurse, and how deeply an expression may nest (a sum of
// 10000 terms is 10000 levels deep), so that neither the parser nor any later recursive
// pass over the tree runs out of stack.
constexpr size_t kMaxDepth = 1000;

// Thrown at the token where either limit is passed (null: the parser's current token).
struct TooDeep {
  antlr4::Token* at = nullptr;
};

// Bounds the recursion of the parser itself: parentheses, prefix and right-associative
// operators. (Left-associative chains are loops in the parser; AstBuilder bounds them.)
class DepthGuard : public antlr4::tree::ParseTreeListener {
 public:
  void enterEveryRule(antlr4::ParserRuleContext*) override {
    if (++depth_ > kMaxDepth) throw TooDeep{};
  }
  void exitEveryRule(antlr4::ParserRuleContext*) override { --depth_; }
  void visitTerminal(antlr4::tree::TerminalNode*) override {}
  void visitErrorNode(antlr4::tree::ErrorNode*) override {}

 private:
  size_t depth_ = 0;
};

// Builds the AST from a parse tree that had no syntax errors.
class AstBuilder {
 public:
  AstBuilder(uint32_t file, const parse::ColumnMap& columns) : file_(file), columns_(columns) {}

  ast::Module build(AxonParser::File_Context* ctx) {
    ast::Module m;
    m.file = file_;
    for (auto* item : ctx->item()) {
      if (auto* imp = item->importDecl()) {
        std::string path;
        for (auto* id : imp->qualifiedName()->anyName()) {
          if (!path.empty()) path += ".";
          path += id->getText();
        }
        m.imports.push_back(ast::Import{path, range(imp->qualifiedName())});
      } else if (auto* md = item->modelDecl()) {
        m.models.push_back(model(md));
      } else if (auto* nd = item->networkDecl()) {
        m.networks.push_back(network(nd));
      } else if (auto* rd = item->runDecl()) {
        ast::Run r;
        r.network = name_ref(rd->ID());
        r.range = range(rd->RUN());
        for (auto* b : rd->binding()) r.settings.push_back(binding(b));
        m.runs.push_back(std::move(r));
      }
    }
    return m;
  }

 private:
  uint32_t file_;
  const parse::ColumnMap& columns_;
  size_t depth_ = 0;  // of expr() calls

  SourceRange range(antlr4::Token* start, antlr4::Token* stop) const {
    SourceRange r;
    r.file = file_;
    r.line = static_cast<uint32_t>(start->getLine());
    r.col = columns_.byte_col(start->getLine(), start->getCharPositionInLine());
    if (stop == nullptr || stop->getType() == antlr4::Token::EOF) stop = start;
    r.end_line = static_cast<uint32_t>(stop->getLine());
    r.end_col = columns_.byte_col(stop->getLine(), stop->getCharPositionInLine()) +
                static_cast<uint32_t>(stop->getText().size());
    return r;
  }
  SourceRange range(antlr4::ParserRuleContext* ctx) const { return range(ctx->getStart(), ctx->getStop()); }
  SourceRange range(antlr4::tree::TerminalNode* node) const { return range(node->getSymbol(), node->getSymbol()); }
  SourceRange range(antlr4::Token* t) const { return range(t, t); }

  ast::NameRef name_ref(antlr4::tree::TerminalNode* id) const { return ast::NameRef{id->getText(), range(id)}; }
  ast::NameRef name_ref(antlr4::Token* t) const { return ast::NameRef{t->getText(), range(t)}; }

  // ---- units in annotations: re-printed canonically, parsed later by sema.
  std::string unit_text(AxonParser::UnitExprContext* ctx) {
    if (auto* c = dynamic_cast<AxonParser::UnitMulDivContext*>(ctx))
      return unit_text(c->unitExpr(0)) + c->op->getText() + unit_text(c->unitExpr(1));
    if (auto* c = dynamic_cast<AxonParser::UnitPowContext*>(ctx)) {
      auto* e = c->signedExponent();
      std::string exp = (e->neg ? "-" : "") + e->num->getText();
      if (e->den) exp += "/" + e->den->getText();
      if (e->den || e->neg) exp = "(" + exp + ")";
      return unit_text(c->unitExpr()) + "^" + exp;
    }
    if (auto* c = dynamic_cast<AxonParser::UnitSqrtContext*>(ctx)) return "sqrt(" + unit_text(c->unitExpr()) + ")";
    if (auto* c = dynamic_cast<AxonParser::UnitParenContext*>(ctx)) return "(" + unit_text(c->unitExpr()) + ")";
    return ctx->getText();  // a unit name or the number 1
  }
  std::optional<ast::UnitAnnotation> unit_annotation(AxonParser::TypeAnnContext* ctx) {
    if (ctx == nullptr) return std::nullopt;
    return ast::UnitAnnotation{unit_text(ctx->unitExpr()), range(ctx->unitExpr())};
  }

  // ---- expressions
  ExprPtr make(ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->range = range(ctx);
    return e;
  }

  ExprPtr expr(AxonParser::ExprContext* ctx) {
    if (ctx == nullptr) return nullptr;
    if (depth_ >= kMaxDepth) throw TooDeep{ctx->getStart()};
    ++depth_;
    ExprPtr e = expr_at_depth(ctx);
    --depth_;
    return e;
  }

  ExprPtr expr_at_depth(AxonParser::ExprContext* ctx) {
    if (auto* c = dynamic_cast<AxonParser::PrimaryExprContext*>(ctx)) return primary(c->primary());
    if (auto* c = dynamic_cast<AxonParser::MemberExprContext*>(ctx)) {
      auto e = make(ExprKind::Member, c);
      e->name = c->field->getText();
      e->args.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::IndexExprContext*>(ctx)) {
      auto e = make(ExprKind::Index, c);
      e->args.push_back(expr(c->expr(0)));
      e->is_slice = c->colon != nullptr;
      e->args.push_back(expr(c->begin));
      e->args.push_back(expr(c->end));
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::PowExprContext*>(ctx))
      return binary(c, ast::Operator::Pow, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::UnaryExprContext*>(ctx)) {
      auto e = make(ExprKind::Unary, c);
      e->op = *ast::unary_operator(c->op->getText());  // the grammar allows only - and +
      e->args.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::NotExprContext*>(ctx)) {
      auto e = make(ExprKind::Unary, c);
      e->op = ast::Operator::Not;
      e->args.push_back(expr(c->expr()));
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::MulExprContext*>(ctx))
      return binary(c, *ast::binary_operator(c->op->getText()), c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::AddExprContext*>(ctx))
      return binary(c, *ast::binary_operator(c->op->getText()), c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::CompareExprContext*>(ctx))
      return binary(c, *ast::binary_operator(c->op->getText()), c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::AndExprContext*>(ctx))
      return binary(c, ast::Operator::And, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::OrExprContext*>(ctx))
      return binary(c, ast::Operator::Or, c->expr(0), c->expr(1));
    if (auto* c = dynamic_cast<AxonParser::CondExprContext*>(ctx)) {
      auto e = make(ExprKind::Conditional, c);
      for (int i = 0; i < 3; ++i) e->args.push_back(expr(c->expr(i)));
      return e;
    }
    return nullptr;
  }

  ExprPtr binary(antlr4::ParserRuleContext* ctx, ast::Operator op, AxonParser::ExprContext* l,
                 AxonParser::ExprContext* r) {
    auto e = make(ExprKind::Binary, ctx);
    e->op = op;
    e->args.push_back(expr(l));
    e->args.push_back(expr(r));
    return e;
  }

  ExprPtr primary(AxonParser::PrimaryContext* ctx) {
    if (auto* c = dynamic_cast<AxonParser::NumberLitContext*>(ctx)) {
      auto e = make(ExprKind::Number, c);
      e->number = std::strtod(c->NUMBER()->getText().c_str(), nullptr);
      if (auto* u = c->quantityUnit()) {
        e->unit_text = u->ID()->getText();
        if (u->NUMBER()) {
          std::string exp = (u->neg ? "-" : "") + u->NUMBER()->getText();
          e->unit_text += "^" + (u->neg ? "(" + exp + ")" : exp);
        }
      }
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::BoolLitContext*>(ctx)) {
      auto e = make(ExprKind::Bool, c);
      e->number = c->TRUE() ? 1 : 0;
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::StringLitContext*>(ctx)) {
      auto e = make(ExprKind::String, c);
      std::string raw = c->STRING()->getText();
      std::string text;
      for (size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
        text += raw[i];
      }
      e->name = text;
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::CallExprContext*>(ctx)) {
      auto e = make(ExprKind::Call, c);
      e->name = c->fn->getText();
      if (auto* a = c->args()) {
        for (auto* arg : a->arg()) {
          e->arg_names.push_back(arg->ID() ? arg->ID()->getText() : "");
          e->args.push_back(expr(arg->expr()));
        }
      }
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::NameExprContext*>(ctx)) {
      auto e = make(ExprKind::Name, c);
      e->name = c->ID()->getText();
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::PrePostExprContext*>(ctx)) {
      auto e = make(ExprKind::PrePost, c);
      e->name = c->which->getText();
      return e;
    }
    if (auto* c = dynamic_cast<AxonParser::ParenExprContext*>(ctx)) {
      ExprPtr inner = expr(c->expr());
      if (inner) inner->range = range(c);
      return inner;
    }
    if (auto* c = dynamic_cast<AxonParser::ListExprContext*>(ctx)) {
      auto e = make(ExprKind::List, c);
      for (auto* x : c->expr()) e->args.push_back(expr(x));
      return e;
    }
    return nullptr;
  }

  // ---- statements
  std::vector<ast::Stmt> block(AxonParser::BlockContext* ctx) {
    std::vector<ast::Stmt> out;
    for (auto* s : ctx->stmt()) {
      if (dynamic_cast<AxonParser::EmptyStmtContext*>(s)) continue;
      out.push_back(stmt(s));
    }
    return out;
  }

  ast::Stmt stmt(AxonParser::StmtContext* ctx) {
    ast::Stmt s;
    s.range = range(ctx);
    if (auto* c = dynamic_cast<AxonParser::AssignStmtContext*>(ctx)) {
      s.kind = ast::StmtKind::Assign;
      s.target = expr(c->expr(0));
      s.op = *ast::assign_operator(c->op->getText());  // the grammar's five
      s.value = expr(c->expr(1));
    } else if (auto* c = dynamic_cast<AxonParser::LetStmtContext*>(ctx)) {
      s.kind = ast::StmtKind::Let;
      s.name = c->ID()->getText();
      s.unit = unit_annotation(c->typeAnn());
      s.value = expr(c->expr());
    } else if (auto* c = dynamic_cast<AxonParser::IfStatementContext*>(ctx)) {
      s = if_stmt(c->ifStmt());
    }
    return s;
  }

  ast::Stmt if_stmt(AxonParser::IfStmtContext* ctx) {
    ast::Stmt s;
    s.kind = ast::StmtKind::If;
    s.range = range(ctx->IF());
    s.value = expr(ctx->expr());
    s.then_body = block(ctx->block(0));
    if (ctx->ELSE()) {
      if (ctx->block().size() > 1)
        s.else_body = block(ctx->block(1));
      else if (ctx->ifStmt())
        s.else_body.push_back(if_stmt(ctx->ifStmt()));
    }
    return s;
  }

  // ---- models
  ast::Declaration decl(ast::DeclKind kind, antlr4::tree::TerminalNode* id, AxonParser::TypeAnnContext* type,
                        AxonParser::ExprContext* value, bool per_synapse) {
    ast::Declaration d;
    d.kind = kind;
    d.name = id->getText();
    d.range = range(id);
    d.unit = unit_annotation(type);
    d.value = expr(value);
    d.per_synapse = per_synapse;
    return d;
  }

  ast::Model model(AxonParser::ModelDeclContext* ctx) {
    ast::Model m;
    m.module_file = file_;
    if (ctx->NEURON()) m.kind = ast::ModelKind::Neuron;
    if (ctx->RECEPTOR()) m.kind = ast::ModelKind::Receptor;
    if (ctx->SYNAPSE()) m.kind = ast::ModelKind::Synapse;
    m.name = ctx->name->getText();
    m.range = range(ctx->name);
    if (ctx->modifier) {
      m.modifier = name_ref(ctx->modifier);
      m.rate = m.modifier.name == "rate";
    }
    for (auto* mem : ctx->member()) member(m, mem);
    return m;
  }

  void member(ast::Model& m, AxonParser::MemberContext* ctx) {
    using namespace ast;
    if (auto* c = dynamic_cast<AxonParser::ParameterMemberContext*>(ctx)) {
      m.decls.push_back(decl(DeclKind::Parameter, c->ID(), c->typeAnn(), c->expr(), c->perSynapse() != nullptr));
    } else if (auto* c = dynamic_cast<AxonParser::StateMemberContext*>(ctx)) {
      m.decls.push_back(decl(DeclKind::State, c->ID(), c->typeAnn(), c->expr(), c->perSynapse() != nullptr));
    } else if (auto* c = dynamic_cast<AxonParser::InputMemberContext*>(ctx)) {
      m.decls.push_back(decl(DeclKind::Input, c->ID(), c->typeAnn(), nullptr, false));
    } else if (auto* c = dynamic_cast<AxonParser::LetMemberContext*>(ctx)) {
      m.decls.push_back(decl(DeclKind::Let, c->ID(), c->typeAnn(), c->expr(), false));
    } else if (auto* c = dynamic_cast<AxonParser::OutputMemberContext*>(ctx)) {
      m.decls.push_back(decl(DeclKind::Output, c->ID(), c->typeAnn(), c->expr(), false));
    } else if (auto* c = dynamic_cast<AxonParser::MethodMemberContext*>(ctx)) {
      m.method = name_ref(c->ID());
    } else if (auto* c = dynamic_cast<AxonParser::OdeMemberContext*>(ctx)) {
      Ode o;
      o.state = c->ID()->getText();
      o.range = range(c->ID()->getSymbol(), c->PRIME()->getSymbol());
      o.rhs = expr(c->expr());
      o.event_driven = c->EVENT() != nullptr;
      m.odes.push_back(std::move(o));
    } else if (auto* c = dynamic_cast<AxonParser::OnSpikeMemberContext*>(ctx)) {
      OnSpike o;
      o.range = range(c->ON()->getSymbol(), c->WHEN()->getSymbol());
      o.condition = expr(c->expr());
      o.body = block(c->block());
      m.on_spike.push_back(std::move(o));
    } else if (auto* c = dynamic_cast<AxonParser::OnEventMemberContext*>(ctx)) {
      EventHandler h;
      h.on_post = c->which->getType() == AxonParser::POST;
      h.range = range(c->ON()->getSymbol(), c->which);
      h.body = block(c->block());
      m.handlers.push_back(std::move(h));
    } else if (auto* c = dynamic_cast<AxonParser::RefractoryMemberContext*>(ctx)) {
      Refractory r;
      r.range = range(c->REFRACTORY());
      r.period = expr(c->expr());
      for (auto* id : c->ID()) r.clamped.push_back(name_ref(id));
      m.refractory.push_back(std::move(r));
    } else if (auto* c = dynamic_cast<AxonParser::UpdateMemberContext*>(ctx)) {
      m.update_blocks.push_back(block(c->block()));
      m.update_ranges.push_back(range(c->UPDATE()));
    } else if (auto* c = dynamic_cast<AxonParser::ContributesMemberContext*>(ctx)) {
      Contribution k;
      k.range = range(c->CONTRIBUTES());
      k.value = expr(c->expr());
      k.input = name_ref(c->ID());
      m.contributions.push_back(std::move(k));
    }
  }

  // ---- networks
  ast::Binding binding(AxonParser::BindingContext* ctx) {
    return ast::Binding{ctx->key->getText(), range(ctx->key), expr(ctx->expr())};
  }
  std::vector<ast::Binding> overrides(AxonParser::OverridesContext* ctx) {
    std::vector<ast::Binding> out;
    if (ctx)
      for (auto* b : ctx->binding()) out.push_back(binding(b));
    return out;
  }

  ast::Network network(AxonParser::NetworkDeclContext* ctx) {
    ast::Network n;
    n.name = ctx->ID()->getText();
    n.range = range(ctx->ID());
    for (auto* mem : ctx->networkMember()) {
      if (auto* c = dynamic_cast<AxonParser::PopulationMemberContext*>(mem)) {
        ast::Population p;
        p.name = c->name->getText();
        p.range = range(c->name);
        p.model = name_ref(c->model);
        p.size = expr(c->size);
        if (auto* rs = c->receptorSet()) {
          for (auto* rb : rs->receptorBinding()) {
            ast::ReceptorBinding b;
            b.name = rb->name->getText();
            b.range = range(rb->name);
            b.model = name_ref(rb->model);
            if (auto* a = rb->args()) {
              for (auto* arg : a->arg()) {
                SourceRange r = arg->ID() ? range(arg->ID()) : range(arg);
                b.args.push_back(ast::Binding{arg->ID() ? arg->ID()->getText() : "", r, expr(arg->expr())});
              }
            }
            p.receptors.push_back(std::move(b));
          }
        }
        p.overrides = overrides(c->overrides());
        n.populations.push_back(std::move(p));
      } else if (auto* c = dynamic_cast<AxonParser::EnsembleMemberContext*>(mem)) {
        ast::Population p;
        p.name = c->name->getText();
        p.range = range(c->name);
        p.model = name_ref(c->model);
        p.size = expr(c->size);
        p.ensemble = true;
        static const std::set<std::string> nef_keys = {"dimensions", "radius", "max_rates", "intercepts",
                                                       "gain",       "bias",   "seed"};
        for (ast::Binding& b : overrides(c->overrides()))
          (nef_keys.count(b.name) ? p.nef_args : p.overrides).push_back(std::move(b));
        n.populations.push_back(std::move(p));
      } else if (auto* c = dynamic_cast<AxonParser::NodeMemberContext*>(mem)) {
        ast::Node nd;
        nd.name = c->name->getText();
        nd.range = range(c->name);
        nd.size = expr(c->size);
        nd.value = expr(c->value);
        n.nodes.push_back(std::move(nd));
      } else if (auto* c = dynamic_cast<AxonParser::ConnectMemberContext*>(mem)) {
        ast::Connection cn;
        cn.range = range(c->CONNECT());
        if (c->cname) cn.name = c->cname->getText();
        cn.source = expr(c->src);
        cn.target = expr(c->dst);
        cn.args = overrides(c->overrides());
        n.connections.push_back(std::move(cn));
      } else if (auto* c = dynamic_cast<AxonParser::NetworkLetMemberContext*>(mem)) {
        ast::NetworkLet l;
        l.name = c->ID()->getText();
        l.range = range(c->ID());
        l.value = expr(c->expr());
        n.lets.push_back(std::move(l));
      } else if (auto* c = dynamic_cast<AxonParser::ProjectMemberContext*>(mem)) {
        ast::Projection p;
        if (c->pname) p.name = c->pname->getText();
        p.range = range(c->PROJECT());
        p.source = expr(c->src);
        p.target = expr(c->dst);
        if (c->syn) p.synapse = name_ref(c->syn);
        p.synapse_args = overrides(c->overrides());
        if (auto* cs = c->connectSpec()) {
          p.connect = expr(cs->expr());
          p.connect_where = cs->WHERE() != nullptr;
        }
        p.delay = expr(c->delay);
        n.projections.push_back(std::move(p));
      } else if (auto* c = dynamic_cast<AxonParser::StimulusMemberContext*>(mem)) {
        ast::Stimulus st;
        st.range = range(c->STIMULUS());
        st.target = expr(c->target);
        st.value = expr(c->value);
        n.stimuli.push_back(std::move(st));
      } else if (auto* c = dynamic_cast<AxonParser::ProbeSpikesMemberContext*>(mem)) {
        ast::Probe p;
        p.range = range(c->PROBE());
        p.kind = name_ref(c->kind);
        p.spikes = p.kind.name == "spikes";
        p.rate = p.kind.name == "rate";
        p.target = expr(c->target);
        p.every = expr(c->every);
        p.from = expr(c->probeWindow()->from);
        p.to = expr(c->probeWindow()->to);
        p.args = overrides(c->overrides());
        n.probes.push_back(std::move(p));
      } else if (auto* c = dynamic_cast<AxonParser::ProbeMemberContext*>(mem)) {
        ast::Probe p;
        p.range = range(c->PROBE());
        p.target = expr(c->target);
        if (c->unitExpr()) p.unit = ast::UnitAnnotation{unit_text(c->unitExpr()), range(c->unitExpr())};
        p.args = overrides(c->overrides());
        p.every = expr(c->every);
        p.from = expr(c->probeWindow()->from);
        p.to = expr(c->probeWindow()->to);
        n.probes.push_back(std::move(p));
      }
    }
    return n;
  }
};

}  // namespace

std::optional<ast::Module> parse_module(uint32_t file, const SourceFiles& files, Diagnostics& diags) {
  const std::string& text = files.get(file).text;
  // ANTLR throws on bytes that are not UTF-8; say where the first one is instead.
  if (auto bad = parse::first_invalid_utf8(text)) {
    size_t line_start = text.rfind('\n', *bad);  // the bad byte itself is not '\n'
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    SourceRange r;
    r.file = file;
    r.line = static_cast<uint32_t>(1 + std::count(text.begin(), text.begin() + *bad, '\n'));
    r.col = static_cast<uint32_t>(*bad - line_start + 1);
    r.end_line = r.line;
    r.end_col = r.col + 1;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    diags.error("E001", r, std::string("byte ") + byte + " is not valid UTF-8").hint =
        "axon files are UTF-8 text; save this one as UTF-8";
    return std::nullopt;
  }
  parse::ColumnMap columns(text);
  antlr4::ANTLRInputStream input(text);
  AxonLexer lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream tokens(&lexer);
  AxonParser parser(&tokens);
  parser.removeErrorListeners();
  parse::SyntaxErrorListener listener(file, columns, diags);
  parser.addErrorListener(&listener);
  DepthGuard guard;
  parser.addParseListener(&guard);
  try {
    AxonParser::File_Context* tree = parser.file_();
    if (listener.count() > 0) return std::nullopt;
    return AstBuilder(file, columns).build(tree);
  } catch (const TooDeep& too_deep) {
    antlr4::Token* at = too_deep.at ? too_deep.at : parser.getCurrentToken();
    SourceRange r;
    r.file = file;
    r.line = static_cast<uint32_t>(at->getLine());
    r.col = columns.byte_col(at->getLine(), at->getCharPositionInLine());
    r.end_line = r.line;
    r.end_col = r.col + 1;
    diags.error("E001", r, "this expression is nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)")
        .hint = "split it into named parts with 'let'";
    return std::nullopt;
  }
}

}  // namespace axon
