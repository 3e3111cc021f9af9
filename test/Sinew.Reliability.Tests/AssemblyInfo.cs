// Each test here runs real `sinew` processes, kills them, starves them or floods them, and measures what they did;
// running them one at a time keeps a 2-core machine from starving the processes under test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
