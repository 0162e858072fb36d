"""jupyter_kernel_test conformance suite for the convbook kernel.

Run by test/e2e/kernel-conformance.test.ts, which installs the kernelspec into a temporary
JUPYTER_PATH and sets CONVBOOK_SMALL=1 (so the stderr sample below writes its shrink note).
Samples are real convbook statements; see docs/language.md.
"""
import os
import unittest

import jupyter_kernel_test


class ConvbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("CONVBOOK_KERNEL_NAME", "convbook")
    language_name = "convbook"
    file_extension = ".cnb"

    # print writes its text and a newline to stdout.
    code_hello_world = 'print "hello, world"'

    # Under CONVBOOK_SMALL=1 a large mnist request is shrunk, and the shrink is announced on stderr.
    code_stderr = "data big = mnist(train: 5000, test: 1000)"

    completion_samples = [
        {"text": "pri", "matches": {"print"}},
        {"text": "model m(input: 28x28x1) {\n  maxp"},
    ]

    complete_code_samples = [
        'print "hi"',
        "model m(input: 28x28x1) {\n  dense 10 softmax\n}",
        "data d = mnist(train: 100, test: 20)",
    ]
    incomplete_code_samples = [
        "model m(input: 28x28x1) {",
        "model m(input: 28x28x1) {\n  conv 8 relu\n",
        "train m on d {\n  epochs 2",
    ]
    invalid_code_samples = [
        "}",
        "model m { dense 10 softmax }}",
    ]

    # Unknown names are a compile error: one error message, nothing else.
    code_generate_error = "train nothing on nowhere"

    code_display_data = [
        {"code": "data d = mnist(train: 100, test: 20)\nshow d.test[0]", "mime": "image/png"},
        {"code": "model tiny(input: 28x28x1) {\n  dense 10 softmax\n}\nshow tiny", "mime": "text/html"},
    ]

    # A bare name is the cell's value (execute_result): a dataset's description, a model's summary.
    code_execute_result = [
        {"code": "data d = mnist(train: 100, test: 20)\nd", "mime": "text/plain"},
        {"code": "model probe(input: 28x28x1) {\n  dense 10 softmax\n}\nprobe", "mime": "text/html"},
    ]
    # Matches the second sample only, so the suite's "unique" search finds exactly one cell.
    code_history_pattern = "model probe*"
    code_clear_output = 'print "going"\nclear'
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "maxpool"

    # A cell that is only `?word` (or `word?`) pages the language reference, as in IPython.
    code_page_something = "?maxpool"


if __name__ == "__main__":
    unittest.main(verbosity=2)
