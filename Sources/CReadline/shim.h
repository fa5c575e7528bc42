// GNU readline (Debian libreadline-dev): line editing and history for `freshet shell`.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
