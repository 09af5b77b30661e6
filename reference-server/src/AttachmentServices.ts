import { ChartDirectoryUnusable, FhirChartSink, WebhookChartSink } from "@careline/adapter-chart"
import { BlobDirectoryUnusable, FileBlobStore } from "@careline/adapter-files"
import { ChartedNotes, MemoryBlobStore, MemoryChartSink } from "@careline/adapter-memory"
import type { BlobStore, ChartSink } from "@careline/core"
import { Layer } from "effect"
import type { BlobConfig, ChartConfig } from "./AttachmentConfig.js"

/** The attachment store and the clinical record sink the server runs with (`ChartedNotes` holds notes only for the memory sink). */
export type AttachmentServices = BlobStore | ChartSink | ChartedNotes

/** Why they could not start: a directory that cannot be created. */
export type AttachmentStartFailed = BlobDirectoryUnusable | ChartDirectoryUnusable

export { BlobDirectoryUnusable, ChartDirectoryUnusable }

const blobLayer = (blobs: BlobConfig): Layer.Layer<BlobStore, BlobDirectoryUnusable> =>
  blobs.store === "memory" ? MemoryBlobStore.layer : FileBlobStore.layer({ directory: blobs.directory })

const chartLayer = (chart: ChartConfig): Layer.Layer<ChartSink | ChartedNotes, ChartDirectoryUnusable> => {
  switch (chart.sink) {
    case "memory":
      return MemoryChartSink.layer
    case "fhir":
      return Layer.merge(FhirChartSink.layer({ directory: chart.directory }), MemoryChartSink.notRecording)
    case "webhook":
      return Layer.merge(WebhookChartSink.layer({ url: chart.url, secret: chart.secret }), MemoryChartSink.notRecording)
  }
}

/**
 * Attachments in a directory beside the database (memory for `:memory:`), and the clinical record as
 * configured: the directories are created at start, so an unusable one stops the server there.
 */
export const attachmentLayer = (config: { readonly blobs: BlobConfig; readonly chart: ChartConfig }): Layer.Layer<AttachmentServices, AttachmentStartFailed> =>
  Layer.merge(blobLayer(config.blobs), chartLayer(config.chart))
