// Syntax: lexer, parser, AST
