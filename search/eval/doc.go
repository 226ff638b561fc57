// Package eval measures ranking quality: it reads relevance collections (the
// BEIR formats, and a simple judgments file for an administrator's own
// handbooks), runs their queries through the search service, and computes
// nDCG@10, MAP, recall@k and MRR@10 with trec_eval's semantics.
package eval
