#pragma once
// The parser's syntax tree, its printer and the parser, for the layers above it (catalog,
// binder, session). The AST's node kinds are `AstExprKind`; the bound IR's are `ExprKind`.
#include "glint/sql/parser/ast.h"
#include "glint/sql/parser/ast_printer.h"
#include "glint/sql/parser/parser.h"
