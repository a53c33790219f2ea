package testkit

import "sync"

// Simultaneously runs f(0) … f(n-1) on n goroutines released at one moment, so
// single-use steps and counters really race, and returns each call's error at
// its index.
func Simultaneously(n int, f func(i int) error) []error {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errs  = make([]error, n)
	)
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}
