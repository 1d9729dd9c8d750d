// KServe's InferenceService (serving.kserve.io/v1beta1) and ServingRuntime (v1alpha1) as TypeScript types, for the
// unknown-field check in k8s-schema.mjs. No npm package ships KServe's CRDs, so these are written by hand from the
// Go API types the CRDs are generated from (kserve/kserve pkg/apis/serving: v1beta1 component.go
// ComponentExtensionSpec, predictor.go PredictorSpec and PredictorExtensionSpec, predictor_model.go ModelSpec;
// v1alpha1 servingruntime_types.go), covering the predictor and runtime fields; the embedded Kubernetes types
// (PodSpec, Container, ...) come from kubernetes-models. The predictor's framework shortcuts (sklearn, onnx, ...),
// transformer, explainer, logger and batcher specs are left out: a manifest using them fails here and needs them
// added from the same sources.
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IAffinity } from "kubernetes-models/v1/Affinity";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { ILocalObjectReference } from "kubernetes-models/v1/LocalObjectReference";
import type { IDeploymentStrategy } from "kubernetes-models/apps/v1/DeploymentStrategy";

type StringMap = { [key: string]: string };
// constants.InferenceServiceProtocol
type Protocol = "v1" | "v2" | "grpc-v1" | "grpc-v2";

// v1beta1 ComponentExtensionSpec (inlined into PredictorSpec); ScaleMetric is an enum in the CRD.
interface IComponentExtensionSpec {
  minReplicas?: number;
  maxReplicas?: number;
  scaleTarget?: number;
  scaleMetric?: "cpu" | "memory" | "concurrency" | "rps";
  containerConcurrency?: number;
  timeout?: number;
  canaryTrafficPercent?: number;
  labels?: StringMap;
  annotations?: StringMap;
  deploymentStrategy?: IDeploymentStrategy;
}

// v1beta1 ModelSpec: modelFormat, runtime, and PredictorExtensionSpec (storageUri, runtimeVersion,
// protocolVersion, an inlined corev1.Container whose name KServe sets).
interface IModelSpec extends Partial<IContainer> {
  modelFormat: { name: string; version?: string };
  runtime?: string;
  storageUri?: string;
  runtimeVersion?: string;
  protocolVersion?: Protocol;
}

// v1beta1 PredictorSpec: one implementation (here: model), an inlined PodSpec, the component extension.
interface IPredictorSpec extends Partial<IPodSpec>, IComponentExtensionSpec {
  model?: IModelSpec;
}

export interface IInferenceService {
  apiVersion: "serving.kserve.io/v1beta1";
  kind: "InferenceService";
  metadata?: IObjectMeta;
  spec: { predictor: IPredictorSpec };
}

// v1alpha1 ServingRuntimeSpec with its inlined ServingRuntimePodSpec.
export interface IServingRuntime {
  apiVersion: "serving.kserve.io/v1alpha1";
  kind: "ServingRuntime";
  metadata?: IObjectMeta;
  spec: {
    supportedModelFormats?: { name: string; version?: string; autoSelect?: boolean; priority?: number }[];
    multiModel?: boolean;
    disabled?: boolean;
    protocolVersions?: Protocol[];
    containers: IContainer[];
    volumes?: IVolume[];
    nodeSelector?: StringMap;
    affinity?: IAffinity;
    tolerations?: IToleration[];
    labels?: StringMap;
    annotations?: StringMap;
    imagePullSecrets?: ILocalObjectReference[];
    hostIPC?: boolean;
    grpcEndpoint?: string;
    grpcDataEndpoint?: string;
    httpDataEndpoint?: string;
    replicas?: number;
    storageHelper?: { disabled?: boolean };
  };
}
