# The two set-up commands: `make demo` (build and serve the demo) and `make test` (every test).
.PHONY: demo test build install clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

build: install
	bash scripts/build.sh

install:
	bash scripts/install.sh

clean:
	rm -rf build js/dist js/wasm/clientele.mjs js/wasm/clientele.wasm
