# The README names these; .ci/run calls lint and test.
.PHONY: test lint run fuzz bench

test:
	go test -race -count=1 ./...
	# The peak-RSS budgets of hostile input, which the race detector skews.
	go test -count=1 -run 'TestHostileContent|TestIndexHostileFolder' ./content/ingest ./cmd/handbook

lint:
	@unformatted="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...

run:
	go run ./cmd/handbook serve

# A short fuzzing pass over every parser of outside input.
fuzz:
	go test ./search -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s
	go test ./content/ingest -run '^$$' -fuzz '^FuzzParseMarkdown$$' -fuzztime 30s
	go test ./content/ingest -run '^$$' -fuzz '^FuzzParseText$$' -fuzztime 30s
	go test ./content/ingest -run '^$$' -fuzz '^FuzzParseHTML$$' -fuzztime 30s
	go test ./content/ingest -run '^$$' -fuzz '^FuzzParseDOCX$$' -fuzztime 30s
	go test ./content/ingest -run '^$$' -fuzz '^FuzzParsePDF$$' -fuzztime 30s
	go test ./content/pdf -run '^$$' -fuzz '^FuzzLayout$$' -fuzztime 30s
	go test ./search/eval -run '^$$' -fuzz '^FuzzReaders$$' -fuzztime 30s
	go test ./web -run '^$$' -fuzz '^FuzzAPISearch$$' -fuzztime 30s

# The scale benchmark of the README's Performance section (several minutes).
bench:
	go run ./cmd/handbook bench --sections 100000 --passes 5 --http-rates 50,100,200,300,500,800
