// Package parallel runs independent pieces of work on every CPU.
package parallel

import (
	"errors"
	"runtime"
	"sync"
)

// Each calls f(i) for every i from 0 to n-1, on as many goroutines as there are CPUs
// (runtime.GOMAXPROCS), and returns the errors of all the calls joined (errors.Join),
// or nil. f must be safe to run concurrently with itself for different i.
func Each(n int, f func(i int) error) error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}
