# Veiviser. `make` builds everything; `make test` runs every test. Both work on a fresh clone.
GO      ?= go
BIN     := bin/veiviser
SOURCES := $(shell find cmd internal -name '*.go' -not -name '*_test.go') go.mod go.sum
# veiviser deploy uses Hugo's deploy package, which is built only with this tag.
TAGS    := -tags withdeploy

NPM     := node_modules/.package-lock.json
NPM_DEV := node_modules/.veiviser-dev

.PHONY: all build serve test check bench clean

all: build

$(BIN): $(SOURCES)
	$(GO) build $(TAGS) -o $(BIN) ./cmd/veiviser

# JavaScript packages from package-lock.json: what the build needs (search) for make and make
# check; with the tools only tests and the bench use (axe-core, Lighthouse: about 110 MB) for
# make test and make bench.
$(NPM): package.json package-lock.json
	npm ci --omit=dev --no-audit --no-fund

$(NPM_DEV): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The web site in public/ and the offline zip in dist/. Nothing is deployed: that is
# ./bin/veiviser deploy (README).
build: $(BIN) $(NPM)
	./$(BIN) build

# A local preview on http://127.0.0.1:1313/ that reloads on every change.
serve: $(BIN)
	./$(BIN) serve

# The content check editors run before they publish: every page, link and translation.
check: $(BIN) $(NPM)
	./$(BIN) check

# Every test: the content check on the real content, go vet and gofmt, then the Go tests (integration tests
# build small sites, one runs the real binary, browser tests drive Chromium over http:// and
# file://, here looking at every page in depth; go test ./... alone looks at a sample).
test: $(NPM_DEV)
	$(MAKE) --no-print-directory check
	$(GO) vet $(TAGS) ./...
	@unformatted=$$(gofmt -l cmd internal); if [ -n "$$unformatted" ]; then echo "not gofmt'ed (run gofmt -w):" $$unformatted; exit 1; fi
	VEIVISER_ALL_PAGES=1 $(GO) test $(TAGS) -count=1 -timeout 20m ./...

# Build time against plain Hugo, on the real content and on generated sites of 1,000 to
# 10,000 pages; page weights; search speed in Chromium; the home page's first contentful
# paint on Slow 3G with a 4x slower CPU; Lighthouse's scores (node_modules/.bin/lighthouse).
bench: $(BIN) $(NPM_DEV)
	$(GO) run ./cmd/veiviser-bench

clean:
	rm -rf public dist bin node_modules
