import DefaultTheme from 'vitepress/theme'
import type { Theme } from 'vitepress'
import { defineAsyncComponent, h, type Component } from 'vue'
import MermaidDiagram from './components/MermaidDiagram.vue'
import BookContents from './components/BookContents.vue'
import ComingSoon from './components/ComingSoon.vue'
import NotFound from './components/NotFound.vue'
import './custom.css'

// Live figures are loaded as their own chunks, on the pages that use them: a page without figures
// does not download the figure kit (registered eagerly, every page carried all eleven figures).
const figures: Record<string, () => Promise<Component>> = {
  WindowLevelDemo: () => import('../../demos/WindowLevelDemo.vue'),
  ClaheDemo: () => import('../../demos/ClaheDemo.vue'),
  N4Demo: () => import('../../demos/N4Demo.vue'),
  CtPipelineDemo: () => import('../../demos/CtPipelineDemo.vue'),
  WhiteStripeDemo: () => import('../../demos/WhiteStripeDemo.vue'),
  NormalizationDemo: () => import('../../demos/NormalizationDemo.vue'),
  HuClipDemo: () => import('../../demos/HuClipDemo.vue'),
  MetalDemo: () => import('../../demos/MetalDemo.vue'),
  OrientationDemo: () => import('../../demos/OrientationDemo.vue'),
  RadiographDemo: () => import('../../demos/RadiographDemo.vue'),
  AugmentationDemo: () => import('../../demos/AugmentationDemo.vue'),
  DicomInspectorDemo: () => import('../../demos/DicomInspectorDemo.vue'),
  SuvDemo: () => import('../../demos/SuvDemo.vue'),
  UltrasoundDemo: () => import('../../demos/UltrasoundDemo.vue'),
  ToolsDemo: () => import('../../demos/ToolsDemo.vue'),
  XrayDemo: () => import('../../demos/XrayDemo.vue'),
  ArtifactsDemo: () => import('../../demos/ArtifactsDemo.vue'),
  AttenuationDemo: () => import('../../demos/AttenuationDemo.vue'),
  MriContrastDemo: () => import('../../demos/MriContrastDemo.vue'),
  SinogramDemo: () => import('../../demos/SinogramDemo.vue'),
  FlatPanelDemo: () => import('../../demos/FlatPanelDemo.vue'),
  XrayForDlDemo: () => import('../../demos/XrayForDlDemo.vue'),
  IterativeDemo: () => import('../../demos/IterativeDemo.vue'),
  DataConsistencyDemo: () => import('../../demos/DataConsistencyDemo.vue'),
  LabDemo: () => import('../../demos/LabDemo.vue'),
  PetAcDemo: () => import('../../demos/PetAcDemo.vue'),
  ScanConversionDemo: () => import('../../demos/ScanConversionDemo.vue'),
  PartialVolumeDemo: () => import('../../demos/PartialVolumeDemo.vue'),
  ProjectionLabDemo: () => import('../../demos/ProjectionLabDemo.vue'),
  BeamHardeningDemo: () => import('../../demos/BeamHardeningDemo.vue'),
  KspaceLabDemo: () => import('../../demos/KspaceLabDemo.vue'),
  CoilCombineDemo: () => import('../../demos/CoilCombineDemo.vue'),
}

export default {
  extends: DefaultTheme,
  // The 404 page offers search and the contents instead of a bare "take me home".
  Layout: () => h(DefaultTheme.Layout, null, { 'not-found': () => h(NotFound) }),
  enhanceApp({ app }) {
    app.component('MermaidDiagram', MermaidDiagram)
    app.component('BookContents', BookContents)
    app.component('ComingSoon', ComingSoon)
    for (const [name, load] of Object.entries(figures)) app.component(name, defineAsyncComponent(load))
  },
} satisfies Theme
