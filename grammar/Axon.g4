// The axon model language: neurons, receptors, synapses, networks and runs.
// Generated at build time into the build tree; compiler/parse/ turns the parse tree into our AST.
grammar Axon;

file_ : item* EOF ;

item
  : importDecl
  | modelDecl
  | networkDecl
  | runDecl
  | ';'
  ;

importDecl : IMPORT qualifiedName ';'? ;
// Module paths may use reserved words as folder names (`import receptors.exp`).
qualifiedName : anyName ('.' anyName)* ;
anyName : ID | IMPORT | NEURON | RECEPTOR | SYNAPSE | NETWORK | RUN | PARAMETER | INPUT | STATE | OUTPUT | LET | METHOD | EVENT | DRIVEN | ON | SPIKE | WHEN | PRE | POST | REFRACTORY | CLAMPS | UPDATE | CONTRIBUTES | TO | PER | IF | ELSE | AND | OR | NOT | TRUE | FALSE | SQRT | POPULATION | WITH | RECEPTORS | PROJECT | VIA | CONNECT | WHERE | DELAY | STIMULUS | PROBE | SPIKES | OF | AS | EVERY | FROM | ENSEMBLE | NODE ;

// ---- models: neuron, receptor, synapse share one member list; sema says which
// members each kind allows (a clearer message than a syntax error).
modelDecl : modifier=ID? kind=(NEURON | RECEPTOR | SYNAPSE) name=ID '{' member* '}' ;

member
  : perSynapse? PARAMETER ID typeAnn? ('=' expr)? ';'?        # parameterMember
  | INPUT ID typeAnn? ';'?                                     # inputMember
  | perSynapse? STATE ID typeAnn? ('=' expr)? ';'?            # stateMember
  | LET ID typeAnn? '=' expr ';'?                              # letMember
  | OUTPUT ID typeAnn? '=' expr ';'?                           # outputMember
  | METHOD ID ';'?                                             # methodMember
  | (EVENT DRIVEN)? ID PRIME '=' expr ';'?                     # odeMember
  | ON SPIKE WHEN expr block                                   # onSpikeMember
  | ON which=(PRE | POST) block                                # onEventMember
  | REFRACTORY expr CLAMPS ID (',' ID)* ';'?                   # refractoryMember
  | UPDATE block                                               # updateMember
  | CONTRIBUTES expr TO ID ';'?                                # contributesMember
  | ';'                                                        # emptyMember
  ;

perSynapse : PER SYNAPSE ;
typeAnn : ':' unitExpr ;

// Units in annotations: `mV`, `nS/mV`, `1/ms`, `mV/sqrt(ms)`, `mV^2`.
unitExpr
  : unitExpr op=('*' | '/') unitExpr                           # unitMulDiv
  | unitExpr '^' signedExponent                                # unitPow
  | SQRT '(' unitExpr ')'                                      # unitSqrt
  | '(' unitExpr ')'                                           # unitParen
  | ID                                                         # unitName
  | NUMBER                                                     # unitOne
  ;
signedExponent : neg='-'? num=NUMBER | '(' neg='-'? num=NUMBER ('/' den=NUMBER)? ')' ;

block : '{' stmt* '}' ;

stmt
  : expr op=('=' | '+=' | '-=' | '*=' | '/=') expr ';'?       # assignStmt
  | LET ID typeAnn? '=' expr ';'?                              # letStmt
  | ifStmt                                                     # ifStatement
  | ';'                                                        # emptyStmt
  ;
ifStmt : IF expr block (ELSE (block | ifStmt))? ;

// ---- expressions; precedence from the tightest to the loosest.
expr
  : primary                                                    # primaryExpr
  | expr '.' field=(ID | OUTPUT)                               # memberExpr
  | expr '[' begin=expr? (colon=':' end=expr?)? ']'           # indexExpr
  | <assoc=right> expr '^' expr                               # powExpr
  | op=('-' | '+') expr                                        # unaryExpr
  | expr op=('*' | '/' | '%') expr                            # mulExpr
  | expr op=('+' | '-') expr                                   # addExpr
  | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr      # compareExpr
  | NOT expr                                                   # notExpr
  | expr AND expr                                              # andExpr
  | expr OR expr                                               # orExpr
  | <assoc=right> expr '?' expr ':' expr                      # condExpr
  ;

primary
  : NUMBER quantityUnit?                                       # numberLit
  | (TRUE | FALSE)                                             # boolLit
  | STRING                                                     # stringLit
  | fn=(ID | SQRT) '(' args? ')'                               # callExpr
  | ID                                                         # nameExpr
  | which=(PRE | POST)                                         # prePostExpr
  | '(' expr ')'                                               # parenExpr
  | '[' (expr (',' expr)* ','?)? ']'                           # listExpr
  ;

// A unit written right after a number, on the same line: `20 ms`, `2 mV^2`.
// The same-line rule keeps `x = 5` <newline> `y = 3` from reading `5 y`.
quantityUnit
  : {_input->LT(1)->getLine() == _input->LT(-1)->getLine()}? ID ('^' neg='-'? NUMBER)? ;

args : arg (',' arg)* ','? ;
arg : (ID '=')? expr ;

// ---- networks
networkDecl : NETWORK ID '{' networkMember* '}' ;

networkMember
  : POPULATION name=ID '=' model=ID '[' size=expr ']' receptorSet? overrides?  # populationMember
  | ENSEMBLE name=ID '=' model=ID '[' size=expr ']' overrides?                 # ensembleMember
  | NODE name=ID ('[' size=expr ']')? ('=' value=expr)? ';'?                  # nodeMember
  | CONNECT (cname=ID '=')? src=expr ARROW dst=expr overrides? ';'?           # connectMember
  | LET ID '=' expr ';'?                                                       # networkLetMember
  | PROJECT (pname=ID '=')? src=expr ARROW dst=expr (VIA syn=ID overrides?)?
        (CONNECT connectSpec)? (DELAY delay=expr)? ';'?                        # projectMember
  | STIMULUS target=expr '=' value=expr ';'?                                   # stimulusMember
  | PROBE kind=(SPIKES | ID) OF target=expr (EVERY every=expr)? probeWindow overrides? ';'?  # probeSpikesMember
  | PROBE target=expr (AS unitExpr)? (EVERY every=expr)? probeWindow overrides? ';'?  # probeMember
  | ';'                                                                        # emptyNetworkMember
  ;

// A recording window: `from 100 ms to 200 ms` (either bound may be left out).
probeWindow : (FROM from=expr)? (TO to=expr)? ;
receptorSet : WITH RECEPTORS '{' receptorBinding (',' receptorBinding)* ','? '}' ;
receptorBinding : name=ID '=' model=ID ('(' args? ')')? ;
overrides : '{' (binding (';' | ',')?)* '}' ;
binding : key=(ID | SYNAPSE) '=' expr ;
connectSpec : WHERE expr | expr ;

// ---- run
runDecl : RUN ID '{' (binding (';' | ',')?)* '}' ;

// ---- lexer
IMPORT : 'import' ;
NEURON : 'neuron' ;
RECEPTOR : 'receptor' ;
SYNAPSE : 'synapse' ;
NETWORK : 'network' ;
RUN : 'run' ;
PARAMETER : 'parameter' ;
INPUT : 'input' ;
STATE : 'state' ;
OUTPUT : 'output' ;
LET : 'let' ;
METHOD : 'method' ;
EVENT : 'event' ;
DRIVEN : 'driven' ;
ON : 'on' ;
SPIKE : 'spike' ;
WHEN : 'when' ;
PRE : 'pre' ;
POST : 'post' ;
REFRACTORY : 'refractory' ;
CLAMPS : 'clamps' ;
UPDATE : 'update' ;
CONTRIBUTES : 'contributes' ;
TO : 'to' ;
PER : 'per' ;
IF : 'if' ;
ELSE : 'else' ;
AND : 'and' ;
OR : 'or' ;
NOT : 'not' ;
TRUE : 'true' ;
FALSE : 'false' ;
SQRT : 'sqrt' ;
POPULATION : 'population' ;
WITH : 'with' ;
RECEPTORS : 'receptors' ;
PROJECT : 'project' ;
VIA : 'via' ;
CONNECT : 'connect' ;
WHERE : 'where' ;
DELAY : 'delay' ;
STIMULUS : 'stimulus' ;
PROBE : 'probe' ;
SPIKES : 'spikes' ;
OF : 'of' ;
AS : 'as' ;
EVERY : 'every' ;
FROM : 'from' ;
ENSEMBLE : 'ensemble' ;
NODE : 'node' ;

ARROW : '->' ;
PRIME : '\'' ;
NUMBER : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;
fragment DIGITS : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
ID : [a-zA-Z_\u00B5\u03BC\u03A9\u2126] [a-zA-Z_0-9\u03A9\u2126]* ;
STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;

LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
// Anything else becomes one token the parser rejects with a located error.
ERROR_CHAR : . ;
