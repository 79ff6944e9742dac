// oxbpf-test: differential
/* The same program built against our headers with -Wall -Werror. */
#include "errors_body.h"

int main(void)
{
	return errors_main();
}
