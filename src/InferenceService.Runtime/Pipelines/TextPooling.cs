namespace InferenceService.Runtime.Pipelines;

/// <summary>How a text embedder turns per-token hidden states into one vector (<c>pipeline.pooling</c>).</summary>
public enum TextPooling
{
    /// <summary><c>mean</c>: the mean over the text's tokens (sentence-transformers' default; MiniLM, E5).</summary>
    Mean,

    /// <summary><c>cls</c>: the first token's state (BGE, most BERT-style retrievers).</summary>
    Cls,

    /// <summary><c>last-token</c>: the last real token's state (decoder embedders such as Qwen3-Embedding, GTE-Qwen).</summary>
    LastToken,
}
