# The course's two commands:  make book  (build the HTML book)  and  make test  (run the tests).
# Both create the virtual environment .venv with the pinned requirements on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book pdf test check browser lab grade benchmark benchmark-book clean help

help:
	@echo "make book   build the book into _build/html (sets up $(VENV) first if needed)"
	@echo "make pdf    the whole book as one PDF: _build/pdf/book.pdf (uses Debian's chromium)"
	@echo "make test   run the whole test suite (installs Debian's chromium for the browser tests)"
	@echo "make check  the fast tier while you work: lint, unit tests, lab 1's grading (~2 min)"
	@echo "make lab    open the labs in JupyterLab"
	@echo "make grade NB=path/to/notebook.ipynb   grade a lab notebook"

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo ""
	@echo "The book is ready: open file://$(CURDIR)/_build/html/index.html"

# The whole book as one PDF, offline: singlehtml from the same execution cache, printed by
# Debian's chromium with solutions unfolded (tools/book_pdf.py).
pdf: $(STAMP) browser
	$(BIN)/python tools/book_pdf.py

# Two pytest-xdist workers share the 2 cores (tests/conftest.py says which tests go
# together and in what order); TEST_WORKERS=1 runs one, TEST_WORKERS=auto one per core.
TEST_WORKERS ?= 2
test: $(STAMP) browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder

# The fast tier (a subset of make test, which stays the complete suite and what CI runs):
# lint, the agreement check (mit6s191-assign --check), the unit tests, the in-process
# grading corpus of lab 1, and lab 1 graded through the sandbox (shipped 0, solved full
# marks, a syntax error, an unreadable file).
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --exclude "*.ipynb" .
	$(BIN)/mit6s191-assign --check
	$(BIN)/python -m pytest -m "not slow" -q -k "not (lab2 or lab3 or lab4)" \
		tests/test_style.py tests/test_code_width.py tests/test_utils.py \
		tests/test_diagrams.py tests/test_claims.py tests/test_datasets.py \
		tests/test_grading_corpus.py tests/test_assign.py tests/test_release.py \
		tests/test_authoring_checks.py tests/test_chapter_notebooks.py \
		tests/test_grader_labs.py \
		tests/test_grader.py::test_syntax_error_in_one_exercise_leaves_the_others_graded \
		tests/test_grader.py::test_unreadable_submission_is_reported_not_raised

# Debian's chromium for tests/test_browser.py (apt-get, when missing and possible; never fails).
browser:
	@bash tools/setup_browser.sh

lab: $(STAMP)
	$(BIN)/jupyter lab labs/

grade: $(STAMP)
	$(BIN)/mit6s191-grade $(NB)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

# Cold (every page executed) and cached book builds: writes benchmarks/book.md.
benchmark-book: $(STAMP)
	$(BIN)/python benchmarks/book_build.py --write benchmarks/book.md

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf _build
