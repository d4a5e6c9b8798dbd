"""The tutorial's own code: the network, the lesson's inputs, the runs and their rendering."""
