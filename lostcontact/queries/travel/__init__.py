"""Read-only views of the travel-documents programme, each as of a day and scoped to the reader's subtrees."""
