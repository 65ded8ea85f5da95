import DefaultTheme from 'vitepress/theme'
import type { Theme } from 'vitepress'
import MermaidDiagram from './components/MermaidDiagram.vue'
import BookContents from './components/BookContents.vue'
import ComingSoon from './components/ComingSoon.vue'
import WindowLevelDemo from '../../demos/WindowLevelDemo.vue'
import ClaheDemo from '../../demos/ClaheDemo.vue'
import N4Demo from '../../demos/N4Demo.vue'
import CtPipelineDemo from '../../demos/CtPipelineDemo.vue'
import WhiteStripeDemo from '../../demos/WhiteStripeDemo.vue'
import NormalizationDemo from '../../demos/NormalizationDemo.vue'
import HuClipDemo from '../../demos/HuClipDemo.vue'
import MetalDemo from '../../demos/MetalDemo.vue'
import OrientationDemo from '../../demos/OrientationDemo.vue'
import RadiographDemo from '../../demos/RadiographDemo.vue'
import AugmentationDemo from '../../demos/AugmentationDemo.vue'
import './custom.css'

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('MermaidDiagram', MermaidDiagram)
    app.component('BookContents', BookContents)
    app.component('ComingSoon', ComingSoon)
    app.component('WindowLevelDemo', WindowLevelDemo)
    app.component('ClaheDemo', ClaheDemo)
    app.component('N4Demo', N4Demo)
    app.component('CtPipelineDemo', CtPipelineDemo)
    app.component('WhiteStripeDemo', WhiteStripeDemo)
    app.component('NormalizationDemo', NormalizationDemo)
    app.component('HuClipDemo', HuClipDemo)
    app.component('MetalDemo', MetalDemo)
    app.component('OrientationDemo', OrientationDemo)
    app.component('RadiographDemo', RadiographDemo)
    app.component('AugmentationDemo', AugmentationDemo)
  },
} satisfies Theme
