package main

import (
	"fmt"
	"os"
)

func main() {
	_ = startDevTemporal
	fmt.Fprintln(os.Stderr, "samverkan: under construction")
}
