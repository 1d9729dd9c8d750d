# InferenceService image: two runtime targets, each with its ONNX Runtime flavour (OnnxRuntimeFlavor).
#
#   docker build -t inference-service:cpu .                 # ASP.NET 10 runtime, CPU-only ONNX Runtime (the default)
#   docker build --target cuda -t inference-service:cuda .  # CUDA 13 + cuDNN 9 + ASP.NET 10 runtime, ONNX Runtime GPU
#
# Use BuildKit (the default builder since Docker 23): it builds only the stages the chosen target needs.
# deploy/verify.sh runs this file's `RUN dotnet ...` commands verbatim and starts the output with the `cpu`
# stage's environment and entry point; it also checks that the `cuda` and `cpu` stages end identically (but for the
# publish folder each copies) and that the base image pins match global.json. Keep each
# RUN dotnet command on one line.

# Exact version tags, not floating ones: SDK_TAG is global.json's SDK, ASPNET_TAG the runtime that SDK ships (10.0.401
# ships 10.0.12); deploy/verify.sh checks both against global.json. Tags can still be re-pointed by the publisher;
# digests (@sha256:...) would not be, but they cannot be looked up from here (no registry access): pin them where
# the image is built (`docker buildx imagetools inspect mcr.microsoft.com/dotnet/sdk:10.0.401`).
ARG SDK_TAG=10.0.401
ARG ASPNET_TAG=10.0.12
# ONNX Runtime GPU 1.31 is built against CUDA 13 and cuDNN 9.
ARG CUDA_TAG=13.0.2-cudnn-runtime-ubuntu24.04

# ---- build: restore (own layer), publish, provision the pretrained weights into /src/models ----
FROM mcr.microsoft.com/dotnet/sdk:${SDK_TAG} AS build
WORKDIR /src
# Only what restore reads, so this layer (and the ~150 MB of weight packages it downloads) is reused until a
# project file or a package version changes. The solution also lists the tests and the training CLI (TorchSharp,
# hundreds of MB), so the host project is restored, not the solution.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY build/OnnxRuntime.targets build/
COPY src/InferenceService/InferenceService.csproj src/InferenceService/
COPY src/InferenceService.Runtime/InferenceService.Runtime.csproj src/InferenceService.Runtime/
# Both ONNX Runtime flavours' packages (build/OnnxRuntime.targets); the gpu restore last, so obj/ holds its assets.
RUN dotnet restore src/InferenceService/InferenceService.csproj -r linux-x64 -p:OnnxRuntimeFlavor=cpu
RUN dotnet restore src/InferenceService/InferenceService.csproj -r linux-x64 -p:OnnxRuntimeFlavor=gpu
COPY src/InferenceService/ src/InferenceService/
COPY src/InferenceService.Runtime/ src/InferenceService.Runtime/
COPY models/ models/
# Framework-dependent (an RID no longer implies self-contained), one output per ONNX Runtime flavour: gpu (CUDA
# provider, CPU fallback) for the cuda image, cpu (no CUDA provider library) for the cpu image; both carry Linux
# natives only. The cpu publish restores its own assets from the packages above. The build's ProvisionDefaultModels
# target writes models/*/1/ from the restored packages, sha256-checked.
RUN dotnet publish src/InferenceService/InferenceService.csproj -c Release -r linux-x64 --no-restore -p:OnnxRuntimeFlavor=gpu -o /app/publish-gpu
RUN dotnet publish src/InferenceService/InferenceService.csproj -c Release -r linux-x64 -p:OnnxRuntimeFlavor=cpu -o /app/publish-cpu
RUN test -s /app/publish-gpu/libonnxruntime_providers_cuda.so \
    && test -s /app/publish-cpu/libonnxruntime.so \
    && test ! -e /app/publish-cpu/libonnxruntime_providers_cuda.so \
    && test -s /src/models/minilm/1/model.onnx \
    && test -s /src/models/resnet18/1/model.onnx

# ---- the ASP.NET runtime, copied into the CUDA image ----
FROM mcr.microsoft.com/dotnet/aspnet:${ASPNET_TAG} AS aspnet-runtime

# ---- cuda: NVIDIA CUDA 13 + cuDNN 9 runtime (Ubuntu 24.04) with the ASP.NET runtime ----
FROM nvidia/cuda:${CUDA_TAG} AS cuda
# The ASP.NET runtime's native prerequisites on Ubuntu 24.04 (ICU too: the tokenizers normalise Unicode with it), curl
# for HEALTHCHECK, and the official images' non-root "app" user (UID 1654).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libc6 libgcc-s1 libicu74 libssl3t64 libstdc++6 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1654 app \
    && useradd --uid 1654 --gid app --create-home --shell /usr/sbin/nologin app
COPY --from=aspnet-runtime /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# As in the ASP.NET images.
ENV APP_UID=1654 \
    DOTNET_RUNNING_IN_CONTAINER=true
# -- from here to the end, keep identical to the cpu stage (verify.sh checks) --
WORKDIR /app
COPY --from=build /app/publish-gpu/ /app/
# The repository is baked in (root-owned, read-only to the app); mount a volume over /models to serve others.
COPY --from=build /src/models/ /models/
# ASPNETCORE_HTTP_PORTS is the HTTP port (Kestrel listens on all interfaces); the health check follows it.
# Grpc__Url is the gRPC endpoint (HTTP/2 cleartext).
ENV ASPNETCORE_HTTP_PORTS=8000 \
    Grpc__Url=http://*:8001 \
    ModelRepository__Path=/models
# 8000: HTTP (Open Inference Protocol REST, health, metrics). 8001: gRPC (Open Inference Protocol).
EXPOSE 8000 8001
USER 1654
# The one path the app writes (.NET's diagnostics sockets, temp files); everything else may be read-only
# (`docker run --read-only`, Kubernetes' readOnlyRootFilesystem with an emptyDir here).
VOLUME ["/tmp"]
# Readiness: every model loaded and warmed. Six failures (a minute) mark it unhealthy; `docker run
# --health-start-period` gives a slow start more grace.
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS -o /dev/null "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS}/health/ready" || exit 1
ENTRYPOINT ["dotnet", "InferenceService.dll"]

# ---- cpu (default): the ASP.NET 10 runtime image ----
FROM mcr.microsoft.com/dotnet/aspnet:${ASPNET_TAG} AS cpu
# curl for HEALTHCHECK: the ASP.NET images ship no HTTP client (they do ship ICU, libicu74, which the tokenizers need).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
# -- from here to the end, keep identical to the cuda stage (verify.sh checks) --
WORKDIR /app
COPY --from=build /app/publish-cpu/ /app/
# The repository is baked in (root-owned, read-only to the app); mount a volume over /models to serve others.
COPY --from=build /src/models/ /models/
# ASPNETCORE_HTTP_PORTS is the HTTP port (Kestrel listens on all interfaces); the health check follows it.
# Grpc__Url is the gRPC endpoint (HTTP/2 cleartext).
ENV ASPNETCORE_HTTP_PORTS=8000 \
    Grpc__Url=http://*:8001 \
    ModelRepository__Path=/models
# 8000: HTTP (Open Inference Protocol REST, health, metrics). 8001: gRPC (Open Inference Protocol).
EXPOSE 8000 8001
USER 1654
# The one path the app writes (.NET's diagnostics sockets, temp files); everything else may be read-only
# (`docker run --read-only`, Kubernetes' readOnlyRootFilesystem with an emptyDir here).
VOLUME ["/tmp"]
# Readiness: every model loaded and warmed. Six failures (a minute) mark it unhealthy; `docker run
# --health-start-period` gives a slow start more grace.
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS -o /dev/null "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS}/health/ready" || exit 1
ENTRYPOINT ["dotnet", "InferenceService.dll"]
