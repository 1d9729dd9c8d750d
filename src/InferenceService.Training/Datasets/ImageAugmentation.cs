namespace InferenceService.Training.Datasets;

/// <summary>Light augmentation applied to training images before they are embedded (never to validation or held-out images).</summary>
internal enum ImageAugmentation
{
    None,

    /// <summary>Mirrored left to right.</summary>
    Flip,

    /// <summary>The centre 85 % of each side, so the backbone sees the object larger.</summary>
    Crop,
}
