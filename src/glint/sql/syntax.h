#pragma once
// The parser's syntax tree under a name that does not collide with the bound expression IR:
// both sql/parser/ast.h and sql/expr/bound_expr.h declare `glint::sql::ExprKind`. Layers that
// need both (catalog, binder, session) include this header before anything else, so that the
// AST's enum is seen as `AstExprKind` (same values and underlying type).
// TODO(lead): rename one of the two enums and drop this header.
#ifdef GLINT_SQL_PARSER_AST_INCLUDED_DIRECTLY
#error "include glint/sql/syntax.h before glint/sql/parser/ast.h"
#endif
#define ExprKind AstExprKind
#include "glint/sql/parser/ast.h"
#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/parser/parser.h"
#undef ExprKind
