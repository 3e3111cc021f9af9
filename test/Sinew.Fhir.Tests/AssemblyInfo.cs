// The end-to-end tests share one real `sinew` process and count its messages; they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
